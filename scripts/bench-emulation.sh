#!/usr/bin/env bash
# Issue 11's province-wide round: PEOPLE people and COLLECTIVES collectives with ten years of
# ratings, titles and disciplines across Hà Nội's wards and communes (`danvan dev generate`), and
# the eligibility check of a 500-name nomination list: `GET /api/v1/emulation/nominations/{id}`
# judges every name against the rules in force each time the list is read. Prints the median time
# of ROUNDS reads, `/healthz`'s median in the same run and their ratio; fails when the list takes
# over 1 s. Figures: docs/PERFORMANCE.md, "Emulation: a province-wide round".
#   [BENCH_BIN=/path/danvan] scripts/bench-emulation.sh [PEOPLE=100000] [COLLECTIVES=10000] [ROUNDS=7]
set -euo pipefail
cd "$(dirname "$0")/.."
PEOPLE=${1:-100000}
COLLECTIVES=${2:-10000}
ROUNDS=${3:-7}
TARGET=${CARGO_TARGET_DIR:-target}
# BENCH_BIN=/path/danvan measures that build instead of building this tree's release binary.
BIN=${BENCH_BIN:-$TARGET/release/danvan}
[ -n "${BENCH_BIN:-}" ] || cargo build --release --quiet -p danvan
DIR=$(mktemp -d)
SERVER=
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null; rm -rf "$DIR"' EXIT
DB="sqlite:$DIR/bench.db"
echo "# $(date -u '+%F %H:%M') UTC $(uname -m), $(nproc) cores, commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo '+changes')"
$BIN --database "$DB" dev generate --people "$PEOPLE" --collectives "$COLLECTIVES" 2>/dev/null
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
health = timed("/healthz", 50)
check = timed(f"/api/v1/emulation/nominations/{n}", rounds)
health_after = timed("/healthz", 50)
yard = statistics.median([health, health_after])
print(f"# {len(people)} people in the database; the list: {len(listed['items'])} names, {eligible} eligible; "
      f"adding them one by one took {adding:.1f} s ({adding / max(1, len(chosen)) * 1000:.1f} ms each)")
print("| path | median | ratio to `/healthz` |")
print("|---|---|---|")
print(f"| `/healthz` (before, after) | {health * 1000:.2f} ms, {health_after * 1000:.2f} ms | 1 |")
print(f"| eligibility of a 500-name list (`GET …/nominations/{{id}}`) | {check * 1000:.0f} ms | {check / yard:.0f} |")
if check > 1.0:
    print(f"FAILED: the 500-name check took {check:.2f} s (target ≤ 1 s)")
    sys.exit(1)
PY
