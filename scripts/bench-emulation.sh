#!/usr/bin/env bash
# Issue 11's province-wide round: PEOPLE people and COLLECTIVES collectives with ten years of
# ratings, titles and disciplines across Hà Nội's wards and communes (`danvan dev generate`), and
# the eligibility check of a 500-name nomination list: `GET /api/v1/emulation/nominations/{id}`
# judges every name against the rules in force each time the list is read; and, with CASES cases
# over ten years in the same wards, the indicator-based scores of every ward and commune of the
# province for 2025: a movement launched by the city with six measured criteria, every ward
# registered, `GET /api/v1/emulation/movements/{id}/standings`. Prints the median time of ROUNDS
# reads of each, `/healthz`'s median in the same run and the ratios; fails when the list takes
# over 1 s or the standings over 2 s. Figures: docs/PERFORMANCE.md, "Emulation: a province-wide
# round".
#   [BENCH_BIN=/path/danvan] scripts/bench-emulation.sh [PEOPLE=100000] [COLLECTIVES=10000] [ROUNDS=7] [CASES=100000]
set -euo pipefail
cd "$(dirname "$0")/.."
PEOPLE=${1:-100000}
COLLECTIVES=${2:-10000}
ROUNDS=${3:-7}
CASES=${4:-100000}
TARGET=${CARGO_TARGET_DIR:-target}
# BENCH_BIN=/path/danvan measures that build instead of building this tree's release binary.
BIN=${BENCH_BIN:-$TARGET/release/danvan}
[ -n "${BENCH_BIN:-}" ] || cargo build --release --quiet -p danvan
DIR=$(mktemp -d)
SERVER=
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null; rm -rf "$DIR"' EXIT
DB="sqlite:$DIR/bench.db"
echo "# $(date -u '+%F %H:%M') UTC $(uname -m), $(nproc) cores, commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo '+changes')"
$BIN --database "$DB" dev generate --petitions "$CASES" --people "$PEOPLE" --collectives "$COLLECTIVES" 2>/dev/null
DANVAN_PASSWORD=bench-password-long $BIN --database "$DB" user add --username bench.thidua --name "Cán bộ thi đua đo" \
  --unit P01 --role emulation_officer > /dev/null
TOKEN=$($BIN --database "$DB" user token bench.thidua bench)
DANVAN_LOG=warn $BIN --database "$DB" serve --addr 127.0.0.1:18791 > "$DIR/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do curl -fs http://127.0.0.1:18791/healthz > /dev/null && break; sleep 0.2; done
python3 - "$DIR/bench.db" "$TOKEN" "$ROUNDS" <<'PY'
import json, sqlite3, statistics, sys, time, urllib.request

db, token, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
base = "http://127.0.0.1:18791"

def call(method, path, body=None):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode())
    req.add_header("Authorization", f"Bearer {token}")
    req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read() or b"null")

def timed(path, n):
    out = []
    for _ in range(n):
        t = time.perf_counter()
        urllib.request.urlopen(urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"})).read()
        out.append(time.perf_counter() - t)
    return statistics.median(out)

# 500 people of the province, spread over its wards: the list the province's council reads.
conn = sqlite3.connect(db)
people = [r[0] for r in conn.execute("SELECT id FROM emulation_recipients WHERE kind = 'individual' ORDER BY id")]
step = max(1, len(people) // 500)
chosen = people[::step][:500]
n = call("POST", "/api/v1/emulation/nominations", {"unit": "P01", "year": 2025, "title": "Chiến sĩ thi đua cấp tỉnh 2025"})["id"]
t0 = time.perf_counter()
for rid in chosen:
    call("POST", f"/api/v1/emulation/nominations/{n}/items",
         {"recipient": rid, "award": "emulation_fighter_provincial", "justification": "Đề nghị của đơn vị (đo hiệu năng)"})
adding = time.perf_counter() - t0
listed = call("GET", f"/api/v1/emulation/nominations/{n}")
eligible = sum(1 for i in listed["items"] if i.get("eligible"))
# The city's movement for 2025, six measured criteria, every ward and commune registered.
wards = [r[0] for r in conn.execute(
    "SELECT u.code FROM units u JOIN units p ON p.id = u.parent_id WHERE p.code = 'P01' "
    "AND u.kind IN ('ward', 'commune', 'special_zone') AND u.effective_to IS NULL ORDER BY u.code")]
m = call("POST", "/api/v1/emulation/movements", {"unit": "P01", "name": "Dân vận khéo 2025 (đo hiệu năng)", "period_kind": "annual",
                                                 "starts_on": "2025-01-01", "ends_on": "2025-12-31", "targets": "P01"})["id"]
for ind, target, weight in [("cases_received", 100, 10), ("cases_answered", 100, 10), ("answered_on_time_share", 90, 30),
                            ("median_answer_days", 10, 20), ("satisfaction", 4, 20), ("reopened_share", 5, 10)]:
    call("POST", f"/api/v1/emulation/movements/{m}/criteria", {"name": ind, "kind": "measured", "indicator": ind, "target": target, "weight": weight})
for code in wards:
    call("POST", f"/api/v1/emulation/movements/{m}/registrations", {"unit": code})
standings = call("GET", f"/api/v1/emulation/movements/{m}/standings")
health = timed("/healthz", 50)
check = timed(f"/api/v1/emulation/nominations/{n}", rounds)
scores = timed(f"/api/v1/emulation/movements/{m}/standings", rounds)
health_after = timed("/healthz", 50)
yard = statistics.median([health, health_after])
print(f"# {len(people)} people in the database; the list: {len(listed['items'])} names, {eligible} eligible; "
      f"adding them one by one took {adding:.1f} s ({adding / max(1, len(chosen)) * 1000:.1f} ms each)")
print("| path | median | ratio to `/healthz` |")
print("|---|---|---|")
print(f"| `/healthz` (before, after) | {health * 1000:.2f} ms, {health_after * 1000:.2f} ms | 1 |")
print(f"| eligibility of a 500-name list (`GET …/nominations/{{id}}`) | {check * 1000:.0f} ms | {check / yard:.0f} |")
print(f"| scores of the province's {len(standings)} wards and communes for 2025 (`GET …/movements/{{id}}/standings`) | {scores * 1000:.0f} ms | {scores / yard:.0f} |")
cases_2025 = conn.execute("SELECT count(*) FROM cases WHERE received_at >= '2025-01-01' AND received_at < '2026-01-01'").fetchone()[0]
print(f"# {cases_2025} cases received in 2025; the best ward scored {standings[0]['total']}, the last {standings[-1]['total']}")
failed = False
if check > 1.0:
    print(f"FAILED: the 500-name check took {check:.2f} s (target ≤ 1 s)")
    failed = True
if scores > 2.0:
    print(f"FAILED: the province's scores took {scores:.2f} s (target ≤ 2 s)")
    failed = True
sys.exit(1 if failed else 0)
PY
