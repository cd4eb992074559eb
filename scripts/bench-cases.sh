#!/usr/bin/env bash
# Benchmark of citizens' cases at scale (issue: inbox, text search, Open311 listing, durable
# creation through the API). Generates N cases on a fresh SQLite database, serves it, and loads
# each path with wrk from 127.0.0.1, reporting absolute figures and ratios to /healthz measured
# in the same run. Latency runs use 2 connections (close to server time); the creation run 16.
# Usage: scripts/bench-cases.sh N [seconds per endpoint, default 10]
# BENCH_DB=/path/cases-N.db keeps the generated database there and reuses it on later runs. The
# run works on it in place (a 10^6 database is 1.5 GB; disks here are shared) and removes the
# cases its creation load added when it ends.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:?number of cases}
SECS=${2:-10}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
cargo build --release --quiet -p danvan
DIR=$(mktemp -d)
FILE=${BENCH_DB:-$DIR/bench.db}
DB="sqlite:$FILE"
BIN=./target/release/danvan
ADDR=127.0.0.1:18778
count() { python3 -c "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT COUNT(*) FROM cases').fetchone()[0])" "$FILE"; }
if [ -f "$FILE" ]; then
  GEN_NOTE="reused $FILE: $(count) cases"
else
  mkdir -p "$(dirname "$FILE")"
  GEN_START=$(date +%s)
  $BIN --database "$DB" dev generate --petitions "$N" > "$DIR/gen.log" 2>&1
  GEN_NOTE="generated in $(( $(date +%s) - GEN_START ))s"
fi
# A reused database has the officer already.
DANVAN_PASSWORD=bench-password-long $BIN --database "$DB" user add --username bench.officer --name "Cán bộ đo" --unit C00073 --role officer > /dev/null 2>&1 \
  || $BIN --database "$DB" user list 2>/dev/null | grep bench.officer > /dev/null
TOKEN=$($BIN --database "$DB" user token bench.officer bench)
DANVAN_LOG=warn $BIN --database "$DB" serve --addr $ADDR > "$DIR/serve.log" 2>&1 &
PID=$!
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
trap 'kill -TERM $PID 2>/dev/null; wait $PID 2>/dev/null; [ -n "${BENCH_DB:-}" ] && cleanup_created; rm -rf "$DIR"' EXIT
for _ in $(seq 1 100); do curl -fs "http://$ADDR/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
KEY=$($BIN --database "$DB" open311 key add bench | awk '{print $NF}')
# A session cookie for the officer's pages.
curl -s -c "$DIR/cj" -b "$DIR/cj" "http://$ADDR/login" > "$DIR/login.html"
CSRF=$(grep -o 'name="_csrf" value="[a-f0-9]*"' "$DIR/login.html" | head -1 | grep -o '[a-f0-9]\{64\}')
curl -s -c "$DIR/cj" -b "$DIR/cj" -o /dev/null -H "Origin: http://$ADDR" --data "_csrf=$CSRF&username=bench.officer&password=bench-password-long&next=/" "http://$ADDR/login"
COOKIE=$(awk '$6=="dv_session" {print "dv_session="$7}' "$DIR/cj")
RSS_START=$(ps -o rss= -p $PID)
# The server's background job runs once at start (planner statistics, then the escalation pass,
# which at 10^6 cases reads every case due soon): measure only once it is idle.
ticks() { awk '{print $14+$15}' "/proc/$PID/stat"; }
for _ in $(seq 1 90); do t0=$(ticks); sleep 2; [ $(( $(ticks) - t0 )) -lt 10 ] && break; done

ms() { python3 -c "import sys; v=sys.argv[1]; print(float(v[:-2]) if v.endswith('ms') else float(v[:-2])/1000 if v.endswith('us') else float(v[:-1])*1000)" "$1"; }
echo "# $(date -u '+%F %H:%M') UTC $(uname -m), $(nproc) cores, commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo '+changes'), $N cases ($GEN_NOTE), wrk -t1 -c2 -d${SECS}s"
echo "# uptime before: $(uptime)"
printf '| path | requests/s | p50 ms | p99 ms | p99 / healthz p99 | load (1 min) |\n|---|---|---|---|---|---|\n'
BASE=""
run() { # label, wrk args...
  local label=$1; shift
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  local out; out=$(wrk --latency "$@")
  local rps p50 p99; rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(ms "$(echo "$out" | awk '$1=="50%" {print $2}')"); p99=$(ms "$(echo "$out" | awk '$1=="99%" {print $2}')")
  [ -z "$BASE" ] && BASE=$p99
  local non2xx; non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  printf '| %s | %s | %.2f | %.2f | %s | %s |%s\n' "$label" "$rps" "$p50" "$p99" "$(python3 -c "print(f'{$p99/$BASE:.1f}')")" "$load" "${non2xx:+ ($non2xx non-2xx)}"
}
run '`/healthz`' -t1 -c2 -d"${SECS}s" "http://$ADDR/healthz"
run 'inbox: ward subtree, open, by due date, 50 rows (page)' -t1 -c2 -d"${SECS}s" -H "Cookie: $COOKIE" "http://$ADDR/inbox?unit=C00073&status=in_progress"
run 'inbox: same through the API' -t1 -c2 -d"${SECS}s" -H "Authorization: Bearer $TOKEN" "http://$ADDR/api/v1/cases?unit=C00073&status=in_progress"
run 'text search in the ward subtree ("cong thoat")' -t1 -c2 -d"${SECS}s" -H "Authorization: Bearer $TOKEN" "http://$ADDR/api/v1/cases?unit=C00073&q=cong+thoat"
run 'Open311 `GET requests.json` (90 days, 1000 rows)' -t1 -c2 -d"${SECS}s" "http://$ADDR/open311/v2/requests.json"
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
BEFORE=$(count)
run 'create through the API (16 connections)' -t2 -c16 -d"${SECS}s" -s "$DIR/create.lua" "http://$ADDR"
CREATED=$(( $(count) - BEFORE ))
echo "# cases created by the creation run: $CREATED in ${SECS}s = $(( CREATED / SECS ))/s (new cases counted in the database)"
# SQLite's group commit: how many creations each durable commit carried.
curl -s "http://$ADDR/metrics" | awk '$1=="danvan_intake_commits" {c=$2} $1=="danvan_intake_cases" {n=$2} END {if (c > 0) printf "# intake writer: %d commits for %d creations, %.1f per commit\n", c, n, n/c}'

# The trivial endpoint again, after the load: the machine's state may have changed meanwhile.
run '`/healthz` (again, after the load)' -t1 -c2 -d"${SECS}s" "http://$ADDR/healthz"
echo
echo "# uptime after: $(uptime)"
echo "RSS of the server: $((RSS_START / 1024)) MB after start, $(( $(ps -o rss= -p $PID) / 1024 )) MB after the load. Database: $(du -h "$FILE" | cut -f1), $(count) cases after the run."
