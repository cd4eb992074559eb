#!/usr/bin/env bash
# Benchmark of overload behaviour (issue 10, "What to build" 2): does citizens' intake stay
# responsive beside a running Excel export, and under more reads than the machine can serve?
# Generates N cases on a fresh SQLite database (default 100,000: an export of the whole province
# takes seconds), serves it with the default limits, and measures with wrk the p50/p99 of case
# creation through the API (POST /api/v1/cases, 4 connections, a new Idempotency-Key each)
#   (a) alone;
#   (b) while two exports of the province (100,000 rows) run in a loop;
#   (c) while 64 connections search the province's cases (expensive reads, beyond capacity)
#       and the exports keep running;
#   (d) as (c) on a server started with the limits out of the way (--max-expensive 10000
#       --max-requests 100000 --max-intake 100000), for comparison.
# It prints intake's p50/p99 and their ratios to (a), the reads' share of 503s, and the exports
# finished. Not a CI test: the figures go to docs/PERFORMANCE.md ("Overload and intake beside an
# export").
#
# Usage: scripts/bench-overload.sh [N, default 100000] [seconds per phase, default 20]
# Environment: BENCH_BIN=/path/danvan (default: cargo build --release -p danvan),
#   BENCH_DB=/path/overload-N.db (kept and reused; the run's new cases are left in it).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
SECS=${2:-20}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
TARGET=${CARGO_TARGET_DIR:-target}
if [ -n "${BENCH_BIN:-}" ]; then
  BIN=$BENCH_BIN
else
  cargo build --release --quiet -p danvan
  BIN=$TARGET/release/danvan
fi
DIR=$(mktemp -d)
FILE=${BENCH_DB:-$DIR/bench.db}
DB="sqlite:$FILE"
ADDR=127.0.0.1:18781
if [ -f "$FILE" ]; then
  GEN_NOTE="reused $FILE"
else
  mkdir -p "$(dirname "$FILE")"
  GEN_START=$(date +%s)
  $BIN --database "$DB" dev generate --petitions "$N" > "$DIR/gen.log" 2>&1
  GEN_NOTE="generated in $(( $(date +%s) - GEN_START ))s"
fi
# The province every generated case lies in (Hà Nội), its leader exporting and searching, an
# officer of a ward recording cases.
PROVINCE=$(python3 -c "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT u.code FROM units u JOIN units w ON w.parent_id = u.id JOIN cases c ON c.place_unit_id = w.id GROUP BY u.code ORDER BY COUNT(*) DESC LIMIT 1\").fetchone()[0])" "$FILE")
for who in "bench.officer C00073 officer" "bench.leader $PROVINCE leader"; do
  set -- $who
  DANVAN_PASSWORD=bench-password-long $BIN --database "$DB" user add --username "$1" --name "Cán bộ đo" --unit "$2" --role "$3" > /dev/null 2>&1 || true
done
TOKEN=$($BIN --database "$DB" user token bench.officer bench)
LEADER=$($BIN --database "$DB" user token bench.leader bench)

PID=""
start_server() { # extra serve flags...
  DANVAN_LOG=warn $BIN --database "$DB" serve --addr "$ADDR" "$@" > "$DIR/serve.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 150); do curl -fs "http://$ADDR/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
  curl -fs "http://$ADDR/healthz" >/dev/null || { cat "$DIR/serve.log"; exit 1; }
  # Wait for the start-up job (planner statistics, the escalation pass) to finish.
  for _ in $(seq 1 60); do t0=$(awk '{print $14+$15}' "/proc/$PID/stat"); sleep 2; [ $(( $(awk '{print $14+$15}' "/proc/$PID/stat") - t0 )) -lt 10 ] && break; done
}
stop_server() { [ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true; PID=""; }
EXPORTERS=()
stop_exports() { for p in "${EXPORTERS[@]}"; do kill "$p" 2>/dev/null || true; done; for p in "${EXPORTERS[@]}"; do wait "$p" 2>/dev/null || true; done; EXPORTERS=(); }
trap 'stop_exports; stop_server; rm -rf "$DIR"' EXIT

cat > "$DIR/create.lua" <<LUA
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function init(args)
  prefix = "overload-" .. os.time() .. "-" .. tid .. "-"
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

ms() { python3 -c "import sys; v=sys.argv[1]; print(float(v[:-2]) if v.endswith('ms') else float(v[:-2])/1000 if v.endswith('us') else float(v[:-1])*1000)" "$1"; }
RAW=$DIR/raw.tsv # phase, p50, p99, requests/s, non-2xx, reads total, reads non-2xx, exports done, export seconds
: > "$RAW"
intake() { wrk --latency -t1 -c4 -d"${SECS}s" -s "$DIR/create.lua" "http://$ADDR"; }
# Two exports at a time (the server runs at most two), one after another, each timed.
exports() {
  for i in 1 2; do
    ( while true; do
        s=$(date +%s.%N)
        code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $LEADER" "http://$ADDR/inbox/export.xlsx?unit=$PROVINCE") || true
        echo "$code $(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$s" "$(date +%s.%N)")" >> "$DIR/exports-$1"
      done ) 2>/dev/null &
    EXPORTERS+=($!)
  done
}
phase() { # name, with exports (0/1), with reads (0/1)
  local name=$1 with_exports=$2 with_reads=$3 reads_out="" out
  : > "$DIR/exports-$name"
  [ "$with_exports" = 1 ] && { exports "$name"; sleep 3; }
  if [ "$with_reads" = 1 ]; then
    wrk -t1 -c64 -d"$((SECS + 2))s" -H "Authorization: Bearer $LEADER" "http://$ADDR/api/v1/cases?unit=$PROVINCE&q=cong+thoat" > "$DIR/reads-$name" 2>&1 &
    local reads=$!
    sleep 1
  fi
  out=$(intake)
  [ "$with_reads" = 1 ] && { wait "$reads" || true; reads_out=$(cat "$DIR/reads-$name"); }
  stop_exports
  local p50 p99 rps non2xx rtotal rnon2xx ndone esecs
  p50=$(ms "$(echo "$out" | awk '$1=="50%" {print $2}')"); p99=$(ms "$(echo "$out" | awk '$1=="99%" {print $2}')")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  rtotal=$(echo "$reads_out" | awk '/requests in/ {print $1}')
  rnon2xx=$(echo "$reads_out" | awk '/Non-2xx/ {print $NF}')
  ndone=$(awk '$1==200' "$DIR/exports-$name" | wc -l)
  esecs=$(awk '$1==200 {s+=$2; n++} END {if (n) printf "%.1f", s/n}' "$DIR/exports-$name")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$p50" "$p99" "$rps" "${non2xx:-0}" "${rtotal:-}" "${rnon2xx:-0}" "$ndone" "${esecs:-}" >> "$RAW"
}

echo "# $(date -u '+%F %H:%M') UTC, $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo '+changes')"
echo "# $N cases ($GEN_NOTE), exports of $PROVINCE; intake: wrk -t1 -c4 -d${SECS}s POST /api/v1/cases; reads: wrk -t1 -c64 GET /api/v1/cases?unit=$PROVINCE&q=cong+thoat"
echo "# uptime before: $(uptime)"
start_server
phase alone 0 0
phase export 1 0
phase overload 1 1
stop_server
start_server --max-expensive 10000 --max-requests 100000 --max-intake 100000
phase unlimited 1 1
stop_server
echo "# uptime after: $(uptime)"
echo
python3 - "$RAW" <<'PY'
import csv, sys
LABELS = {
    "alone": "(a) intake alone",
    "export": "(b) beside two exports in a loop",
    "overload": "(c) beside the exports and 64 connections of searches",
    "unlimited": "(d) as (c), limits out of the way",
}
rows = {r[0]: r for r in csv.reader(open(sys.argv[1]), delimiter="\t")}
a50, a99 = float(rows["alone"][1]), float(rows["alone"][2])
print("| intake (POST /api/v1/cases) | p50 ms | p99 ms | p50 / alone | p99 / alone | creations/s | intake non-2xx | reads: requests, 503 share | exports done (mean s) |")
print("|---|---|---|---|---|---|---|---|---|")
for key, label in LABELS.items():
    if key not in rows:
        continue
    _, p50, p99, rps, non2xx, rtotal, rnon2xx, ndone, esecs = rows[key]
    reads = f"{int(rtotal)}, {int(rnon2xx) / int(rtotal):.0%}" if rtotal else "—"
    exp = f"{ndone} ({esecs} s)" if esecs else "—"
    print(f"| {label} | {float(p50):.1f} | {float(p99):.1f} | {float(p50) / a50:.1f} | {float(p99) / a99:.1f} | {float(rps):.0f} | {non2xx} | {reads} | {exp} |")
PY
