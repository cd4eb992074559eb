#!/usr/bin/env bash
# Benchmark of citizens' cases at scale (issue: inbox, text search, Open311 listing, durable
# creation through the API). Generates N cases on a fresh SQLite database, serves it, and loads
# each path with wrk from 127.0.0.1, reporting absolute figures and ratios to /healthz measured
# in the same run. Latency runs use 2 connections (close to server time); the creation run 16.
#
# Usage: scripts/bench-cases.sh N [seconds per endpoint, default 10]
#
# Environment:
#   BENCH_DB=/path/cases-N.db  keeps the generated database there and reuses it on later runs. The
#       run works on it in place (a 10^6 database is 1.5 GB; disks here are shared) and removes the
#       cases its creation load added when it ends.
#   BENCH_BIN=/path/danvan     the binary to measure (default: `cargo build --release -p danvan`).
#   BENCH_BASELINE_BIN=/path/danvan  a second, older build, measured in the same run: both servers
#       serve the same database (on two ports) and every path is loaded in turns, old and new
#       alternating, BENCH_ROUNDS times (default 3 with a baseline, 1 without; each figure is the
#       median of its rounds). On this shared machine that is the fair comparison: both builds see
#       the same minutes. The baseline starts first and does the setup (a database migrated by a
#       newer build cannot be opened by an older one): a newer build's migrations are applied to
#       BENCH_DB when it starts, after which the older build alone can no longer open that file.
#   BENCH_SAVE=1               writes this run's figures as the committed baseline for N
#       (docs/bench/cases-N.tsv) after comparing with the old one.
#   BENCH_OUT=/path/run.tsv    where this run's figures go (default under the target directory).
#   BENCH_COUNT=instructions   the deterministic mode: no wrk; each build's server runs under
#       callgrind and every path's figure is the instructions the server executes per request (the
#       same requests, sent one at a time), beside its ratio to /healthz's of the same build. The
#       machine's load does not change these counts, so a 10% change can be seen on a busy machine.
#       BENCH_ROUNDS (default 2) separate server processes per build, whose counts must agree within
#       1% (exit 2 otherwise). The yardstick, /healthz, is counted request by request and its figure
#       is the cheapest request (how often the runtime parks during one depends on thread timing;
#       YARDSTICK_KEYS in scripts/bench_instructions.py says why). Each round serves its own copy of BENCH_DB (made in BENCH_COPY_DIR,
#       default BENCH_DB's directory, and removed after the round), so every round starts from the
#       same file and BENCH_DB keeps the baseline's schema. Before the rounds the baseline (or only)
#       build serves BENCH_DB once natively until idle, with personal data kept 20 years, so that no
#       measured server starts with a retention catch-up (see scripts/bench_instructions.py).
#       Committed figures: docs/bench/cases-N-instructions.tsv (BENCH_SAVE=1 writes them). See
#       scripts/bench_instructions.py. BENCH_K="healthz=200,search=10,..." sets the requests per
#       path; BENCH_CALLGRIND_DIR where the dumps go (for callgrind_annotate). The counts do not
#       depend on the minute, so a baseline build can be measured once, alone (its BENCH_OUT file),
#       and given later as BENCH_BASELINE_FIGURES=/path/base.tsv instead of BENCH_BASELINE_BIN
#       (BENCH_PORT, default 18790, the first server's port: two such runs may go side by side).
#
# Figures (docs/PERFORMANCE.md, "Regression check"): for each path p50, p99 and requests/s, and
# their ratios to /healthz's p50 and p99 of the same run (the median of its rounds before and after
# the load; with two builds, of both builds' rounds: the yardstick is the same code in both). The 10% rule applies
# to the p50 ratios and, for creation, to the time per created case (1000 / cases per second) over
# /healthz's p50; p99 ratios are printed beside them but are too noisy on two shared cores to judge
# a 10% change. The run exits with status 1 when a judged figure is more than 10% worse than the
# committed baseline (docs/bench/cases-N.tsv, when it exists) or than the baseline build.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:?number of cases}
SECS=${2:-10}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
TARGET=${CARGO_TARGET_DIR:-target}
if [ -n "${BENCH_BIN:-}" ]; then
  BIN=$BENCH_BIN
else
  cargo build --release --quiet -p danvan
  BIN=$TARGET/release/danvan
fi
BASE_BIN=${BENCH_BASELINE_BIN:-}
ROUNDS=${BENCH_ROUNDS:-$([ -n "$BASE_BIN" ] && echo 3 || echo 1)}
# The build that prepares the database: the older one when there are two.
SETUP_BIN=${BASE_BIN:-$BIN}
COMMITTED=docs/bench/cases-$N.tsv
STAMP=$(date -u +%Y%m%dT%H%M%S)
RUN_TSV=${BENCH_OUT:-$TARGET/bench/cases-$N-$STAMP.tsv}
mkdir -p "$(dirname "$RUN_TSV")"
DIR=$(mktemp -d)
FILE=${BENCH_DB:-$DIR/bench.db}
DB="sqlite:$FILE"
count() { python3 -c "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT COUNT(*) FROM cases').fetchone()[0])" "$FILE"; }
if [ -f "$FILE" ]; then
  GEN_NOTE="reused $FILE: $(count) cases"
else
  mkdir -p "$(dirname "$FILE")"
  GEN_START=$(date +%s)
  $SETUP_BIN --database "$DB" dev generate --petitions "$N" > "$DIR/gen.log" 2>&1
  GEN_NOTE="generated in $(( $(date +%s) - GEN_START ))s"
fi
# A reused database has the officer already.
DANVAN_PASSWORD=bench-password-long $SETUP_BIN --database "$DB" user add --username bench.officer --name "Cán bộ đo" --unit C00073 --role officer > /dev/null 2>&1 \
  || $SETUP_BIN --database "$DB" user list 2>/dev/null | grep bench.officer > /dev/null
TOKEN=$($SETUP_BIN --database "$DB" user token bench.officer bench)
KEY=$($SETUP_BIN --database "$DB" open311 key add bench | awk '{print $NF}')
# BENCH_LABEL names the measured build in the figures when it is not this tree's (BENCH_BIN).
COMMIT=${BENCH_LABEL:-"$(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo '+changes')"}

# The deterministic mode: instructions per request under callgrind instead of wrk's latencies.
if [ "${BENCH_COUNT:-}" = instructions ]; then
  command -v valgrind >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind >/dev/null; }
  trap 'rm -rf "$DIR"' EXIT
  BUILD_ARGS=()
  [ -n "$BASE_BIN" ] && BUILD_ARGS+=(--build "base=$BASE_BIN")
  BUILD_ARGS+=(--build "new=$BIN")
  for b in ${BASE_BIN:+"$BASE_BIN"} "$BIN"; do echo "# $b ($(stat -c %y "$b" | cut -d. -f1))"; done
  echo "# $(date -u '+%F %H:%M') UTC $(uname -m), $(nproc) cores, $(valgrind --version), uptime: $(uptime)"
  STATUS=0
  python3 scripts/bench_instructions.py --db "$FILE" --token "$TOKEN" "${BUILD_ARGS[@]}" \
    --rounds "${BENCH_ROUNDS:-2}" ${BENCH_K:+--k "$BENCH_K"} ${BENCH_BASELINE_FIGURES:+--baseline-tsv "$BENCH_BASELINE_FIGURES"} \
    --out "${BENCH_OUT:-$TARGET/bench/cases-$N-instructions-$STAMP.tsv}" \
    --committed "docs/bench/cases-$N-instructions.tsv" ${BENCH_SAVE:+--save} \
    --outdir "${BENCH_CALLGRIND_DIR:-$TARGET/bench/callgrind-$STAMP}" \
    --copy-dir "${BENCH_COPY_DIR:-$(dirname "$FILE")}" \
    ${BENCH_PORT:+--port "$BENCH_PORT"} --note "$GEN_NOTE" --commit "$COMMIT" --n "$N" || STATUS=$?
  exit $STATUS
fi

# The builds measured: "new" (BIN) and, when given, "base" (BASE_BIN), each its own server.
declare -A BIN_OF=([new]=$BIN) ADDR_OF=([new]=127.0.0.1:18778) PID_OF=() COOKIE_OF=() RSS_START_OF=()
BUILDS=(new)
if [ -n "$BASE_BIN" ]; then
  BIN_OF[base]=$BASE_BIN
  ADDR_OF[base]=127.0.0.1:18779
  BUILDS=(base new)
fi
# The creation run's cases all match the search and sit in the measured ward: on a reused database
# they are removed after the run, so that every run measures the same data.
cleanup_created() {
  python3 - "$FILE" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
ids = "SELECT id FROM cases WHERE idempotency_key LIKE 'api-%-bench-%'"
for t in ("case_events", "case_contacts"):
    db.execute(f"DELETE FROM {t} WHERE case_id IN ({ids})")
n = db.execute("DELETE FROM cases WHERE idempotency_key LIKE 'api-%-bench-%'").rowcount
db.commit()
db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
print(f"# removed the {n} cases the creation run added", file=sys.stderr)
PY
}
stop_servers() {
  for b in "${!PID_OF[@]}"; do kill -TERM "${PID_OF[$b]}" 2>/dev/null || true; done
  for b in "${!PID_OF[@]}"; do wait "${PID_OF[$b]}" 2>/dev/null || true; done
}
trap 'stop_servers; [ -n "${BENCH_DB:-}" ] && cleanup_created; rm -rf "$DIR"' EXIT
# /metrics answers only with its bearer token (an older build ignores both and serves it anyway).
METRICS_TOKEN="bench-$RANDOM$RANDOM"
for b in "${BUILDS[@]}"; do # the baseline first: see BENCH_BASELINE_BIN above
  DANVAN_LOG=warn DANVAN_METRICS_TOKEN="$METRICS_TOKEN" ${BIN_OF[$b]} --database "$DB" serve --addr "${ADDR_OF[$b]}" > "$DIR/serve-$b.log" 2>&1 &
  PID_OF[$b]=$!
  for _ in $(seq 1 150); do curl -fs "http://${ADDR_OF[$b]}/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
  curl -fs "http://${ADDR_OF[$b]}/healthz" >/dev/null || { cat "$DIR/serve-$b.log"; exit 1; }
done
for b in "${BUILDS[@]}"; do
  addr=${ADDR_OF[$b]}
  # A session cookie for the officer's pages.
  curl -s -c "$DIR/cj-$b" -b "$DIR/cj-$b" "http://$addr/login" > "$DIR/login.html"
  CSRF=$(grep -o 'name="_csrf" value="[a-f0-9]*"' "$DIR/login.html" | head -1 | grep -o '[a-f0-9]\{64\}')
  curl -s -c "$DIR/cj-$b" -b "$DIR/cj-$b" -o /dev/null -H "Origin: http://$addr" --data "_csrf=$CSRF&username=bench.officer&password=bench-password-long&next=/" "http://$addr/login"
  COOKIE_OF[$b]=$(awk '$6=="dv_session" {print "dv_session="$7}' "$DIR/cj-$b")
  RSS_START_OF[$b]=$(ps -o rss= -p "${PID_OF[$b]}")
done
# The server's background job runs once at start (planner statistics, then the escalation pass,
# which at 10^6 cases reads every case due soon): measure only once every server is idle.
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
for b in "${BUILDS[@]}"; do
  for _ in $(seq 1 90); do t0=$(ticks "${PID_OF[$b]}"); sleep 2; [ $(( $(ticks "${PID_OF[$b]}") - t0 )) -lt 10 ] && break; done
done

ms() { python3 -c "import sys; v=sys.argv[1]; print(float(v[:-2]) if v.endswith('ms') else float(v[:-2])/1000 if v.endswith('us') else float(v[:-1])*1000)" "$1"; }
echo "# $(date -u '+%F %H:%M') UTC $(uname -m), $(nproc) cores, commit $COMMIT, $N cases ($GEN_NOTE), wrk -t1 -c2 -d${SECS}s, ${#BUILDS[@]} build(s) × $ROUNDS round(s)"
for b in "${BUILDS[@]}"; do echo "# $b: ${BIN_OF[$b]} ($(stat -c %y "${BIN_OF[$b]}" | cut -d. -f1))"; done
echo "# uptime before: $(uptime)"
RAW=$DIR/raw.tsv # build, key, round, load, requests/s, p50 ms, p99 ms, non-2xx, cases created
: > "$RAW"
measure() { # build, key, round, wrk args...
  local b=$1 key=$2 round=$3; shift 3
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  local out; out=$(wrk --latency "$@")
  local rps p50 p99 non2xx
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(ms "$(echo "$out" | awk '$1=="50%" {print $2}')"); p99=$(ms "$(echo "$out" | awk '$1=="99%" {print $2}')")
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$b" "$key" "$round" "$load" "$rps" "$p50" "$p99" "${non2xx:-0}" "${CREATED:-}" >> "$RAW"
}
# One path for one build: the same wrk arguments, the build's own address and session.
load_path() { # build, key, round
  local b=$1 key=$2 round=$3 addr=${ADDR_OF[$1]}
  local c=(-t1 -c2 -d"${SECS}s")
  case $key in
    healthz | healthz_after) measure "$b" "$key" "$round" "${c[@]}" "http://$addr/healthz" ;;
    inbox_page) measure "$b" "$key" "$round" "${c[@]}" -H "Cookie: ${COOKIE_OF[$b]}" "http://$addr/inbox?unit=C00073&status=in_progress" ;;
    inbox_api) measure "$b" "$key" "$round" "${c[@]}" -H "Authorization: Bearer $TOKEN" "http://$addr/api/v1/cases?unit=C00073&status=in_progress" ;;
    search) measure "$b" "$key" "$round" "${c[@]}" -H "Authorization: Bearer $TOKEN" "http://$addr/api/v1/cases?unit=C00073&q=cong+thoat" ;;
    open311) measure "$b" "$key" "$round" "${c[@]}" "http://$addr/open311/v2/requests.json" ;;
    create)
      local before; before=$(count)
      CREATED="" measure "$b" "$key" "$round" -t2 -c16 -d"${SECS}s" -s "$DIR/create.lua" "http://$addr"
      # The cases the run added, counted in the database, go beside its figures.
      sed -i '$ s/\t$/\t'"$(( $(count) - before ))"'/' "$RAW"
      ;;
  esac
}
# Every request a new Idempotency-Key: each wrk thread has its own Lua state with the same random
# seed, so keys are made of the run's start time, the thread's number and a counter.
cat > "$DIR/create.lua" <<LUA
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function init(args)
  prefix = "bench-" .. os.time() .. "-" .. tid .. "-"
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $TOKEN"
local n = 0
request = function()
  n = n + 1
  wrk.headers["Idempotency-Key"] = prefix .. n
  return wrk.format(nil, "/api/v1/cases", nil, '{"kind":"feedback","category":"thoat-nuoc","description":"Cống thoát nước trước số 5 phố Hàng Bông bị tắc.","place":"C00073","address":"Số 5 Hàng Bông","channel":"hotline"}')
end
LUA
# Rounds alternate which build goes first, so that neither always follows the other.
order() { # round
  if [ "${#BUILDS[@]}" -eq 1 ] || [ $(( $1 % 2 )) -eq 1 ]; then echo "${BUILDS[@]}"; else echo "new base"; fi
}
# The creation runs come last (their cases match the search and sit in the measured ward), then
# the trivial endpoint again, after the load: the machine's state may have changed meanwhile.
for key in healthz inbox_page inbox_api search open311 create healthz_after; do
  for round in $(seq 1 "$ROUNDS"); do
    for b in $(order "$round"); do load_path "$b" "$key" "$round"; done
  done
done
for b in "${BUILDS[@]}"; do
  # SQLite's group commit: how many creations each durable commit carried.
  curl -s -H "Authorization: Bearer $METRICS_TOKEN" "http://${ADDR_OF[$b]}/metrics" | awk -v b="$b" '$1=="danvan_intake_commits" {c=$2} $1=="danvan_intake_cases" {n=$2} END {if (c > 0) printf "# %s: intake writer: %d commits for %d creations, %.1f per commit\n", b, c, n, n/c}'
done
echo "# uptime after: $(uptime)"
for b in "${BUILDS[@]}"; do
  echo "# $b: RSS of the server $((RSS_START_OF[$b] / 1024)) MB after start, $(( $(ps -o rss= -p "${PID_OF[$b]}") / 1024 )) MB after the load"
done
echo "# database: $(du -h "$FILE" | cut -f1), $(count) cases after the run"
echo

# Medians over the rounds, ratios to /healthz, the table, the TSV files and the verdicts.
STATUS=0
python3 - "$RAW" "$RUN_TSV" "$COMMITTED" "$SECS" "$N" "$COMMIT" "${BENCH_SAVE:-}" "$GEN_NOTE" <<'PY' || STATUS=$?
import csv, os, shutil, statistics, sys, time
raw, run_tsv, committed, secs, n, commit, save, gen_note = sys.argv[1:]
secs = float(secs)
LABELS = {
    "healthz": "`/healthz`",
    "inbox_page": "inbox: ward subtree, open, by due date, 50 rows (page)",
    "inbox_api": "inbox: same through the API",
    "search": 'text search in the ward subtree ("cong thoat")',
    "open311": "Open311 `GET requests.json` (90 days, 1000 rows)",
    "create": "create through the API (16 connections)",
    "healthz_after": "`/healthz` (again, after the load)",
}
ORDER = list(LABELS)
COLUMNS = ["key", "label", "requests_per_s", "p50_ms", "p99_ms", "p50_ratio", "p99_ratio", "judged_ratio", "cases_per_s", "non_2xx", "load"]
LIMIT = 0.10

rows = {}
for build, key, rnd, load, rps, p50, p99, non2xx, created in csv.reader(open(raw), delimiter="\t"):
    rows.setdefault(build, {}).setdefault(key, []).append(
        dict(load=float(load), rps=float(rps), p50=float(p50), p99=float(p99), non2xx=int(non2xx or 0),
             created=int(created) if created else None))

def figures(runs, yard):
    """Each figure the median of its rounds; ratios to the yardstick's /healthz rounds."""
    out = {}
    for key in ORDER:
        if key not in runs:
            continue
        rs = runs[key]
        f = {k: statistics.median(r[k] for r in rs) for k in ("rps", "p50", "p99", "load")}
        f["non2xx"] = sum(r["non2xx"] for r in rs)
        if key == "create":
            f["cases_per_s"] = statistics.median(r["created"] / secs for r in rs)
        out[key] = f
    # The yardstick: the median of every /healthz round, before and after the load.
    hz = yard["healthz"] + yard.get("healthz_after", [])
    h50, h99 = statistics.median(r["p50"] for r in hz), statistics.median(r["p99"] for r in hz)
    for key, f in out.items():
        f["p50_ratio"] = f["p50"] / h50
        f["p99_ratio"] = f["p99"] / h99
        if key == "create":
            # Time per created case over /healthz's p50: higher is worse, like the latencies.
            f["judged"] = (1000 / f["cases_per_s"]) / h50 if f["cases_per_s"] > 0 else float("inf")
        elif key.startswith("healthz"):
            f["judged"] = None  # the yardstick itself
        else:
            f["judged"] = f["p50_ratio"]
    return out

def write_tsv(path, figs, note):
    with open(path, "w") as out:
        out.write(f"# scripts/bench-cases.sh {n}: {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, commit {commit}, {note}\n")
        out.write("# ratios are to /healthz's p50 and p99 of the same run (the median of its rounds before and after\n")
        out.write("# the load, of both builds when two ran); judged_ratio is what the 10% rule compares: the p50 ratio, and for creation\n")
        out.write("# (1000 / cases_per_s) / healthz p50\n")
        out.write("\t".join(COLUMNS) + "\n")
        for key in ORDER:
            if key not in figs:
                continue
            f = figs[key]
            fmt = lambda v, d=3: "" if v is None else f"{v:.{d}f}"
            out.write("\t".join([key, LABELS[key], fmt(f["rps"], 1), fmt(f["p50"]), fmt(f["p99"]), fmt(f["p50_ratio"], 2),
                                 fmt(f["p99_ratio"], 2), fmt(f["judged"]), fmt(f.get("cases_per_s"), 0), str(f["non2xx"]),
                                 fmt(f["load"], 2)]) + "\n")

def read_tsv(path):
    lines = [l for l in open(path) if not l.startswith("#")]
    out = {}
    for r in csv.DictReader(lines, delimiter="\t"):
        num = lambda k: float(r[k]) if r.get(k) else None
        out[r["key"]] = dict(judged=num("judged_ratio"), p50_ratio=num("p50_ratio"), p99_ratio=num("p99_ratio"),
                             p50=num("p50_ms"), p99=num("p99_ms"), rps=num("requests_per_s"), cases_per_s=num("cases_per_s"))
    return out

def table(figs):
    print("| path | requests/s | p50 ms | p99 ms | p50 / healthz p50 | p99 / healthz p99 | load (1 min) |")
    print("|---|---|---|---|---|---|---|")
    for key in ORDER:
        if key in figs:
            f = figs[key]
            extra = f" ({f['non2xx']} non-2xx)" if f["non2xx"] else ""
            rps = f"{f['rps']:.0f}" + (f" ({f['cases_per_s']:.0f} new cases/s)" if key == "create" else "")
            print(f"| {LABELS[key]} | {rps} | {f['p50']:.2f} | {f['p99']:.2f} | {f['p50_ratio']:.1f} | {f['p99_ratio']:.1f} | {f['load']:.2f} |{extra}")
    print()

def compare(title, before, after):
    """Prints each judged ratio beside the reference's; returns the keys more than 10% worse."""
    print(f"## {title}")
    print("| path | judged ratio: reference | this build | change | p99 ratio: reference | this build | |")
    print("|---|---|---|---|---|---|---|")
    worse = []
    for key in ORDER:
        a, b = before.get(key), after.get(key)
        if not a or not b or a.get("judged") is None or b.get("judged") is None:
            continue
        change = b["judged"] / a["judged"] - 1
        verdict = "**more than 10% worse**" if change > LIMIT else "ok"
        if change > LIMIT:
            worse.append(key)
        p99 = lambda f: "" if f.get("p99_ratio") is None else f"{f['p99_ratio']:.1f}"
        print(f"| {LABELS[key]} | {a['judged']:.2f} | {b['judged']:.2f} | {change:+.1%} | {p99(a)} | {p99(b)} | {verdict} |")
    print()
    print(f"{title}: " + (f"MORE THAN 10% WORSE: {', '.join(worse)}" if worse else "every judged figure within 10% (or better)"))
    print()
    return worse

# With two builds, both are measured against one yardstick: the /healthz rounds of both builds.
# /healthz is the same code in both (a constant answer), so its difference between the two
# servers measures the minutes each was loaded in, not the builds; dividing each build by its own
# /healthz p50 (0.15 ms, where 0.02 ms is 13%) added that noise to every judged figure.
yard = {}
for r in rows.values():
    for key in ("healthz", "healthz_after"):
        yard.setdefault(key, []).extend(r.get(key, []))
figs = {b: figures(r, yard) for b, r in rows.items()}
for b in figs:
    if len(figs) > 1:
        print(f"### {b}")
    table(figs[b])
write_tsv(run_tsv, figs["new"], gen_note)
print(f"# figures of this build: {run_tsv}")
if "base" in figs:
    base_tsv = run_tsv[:-4] + "-base.tsv" if run_tsv.endswith(".tsv") else run_tsv + "-base"
    write_tsv(base_tsv, figs["base"], "baseline build, " + gen_note)
    print(f"# figures of the baseline build: {base_tsv}")
print()
failed = []
if "base" in figs:
    failed += compare("Against the baseline build, same run (interleaved)", figs["base"], figs["new"])
if os.path.exists(committed):
    failed += compare(f"Against the committed figures ({committed})", read_tsv(committed), read_tsv(run_tsv))
else:
    print(f"No committed figures for {n} cases ({committed}): nothing to compare with.")
if save:
    os.makedirs(os.path.dirname(committed), exist_ok=True)
    shutil.copyfile(run_tsv, committed)
    print(f"# saved as the committed figures: {committed}")
sys.exit(1 if failed else 0)
PY
exit $STATUS
