#!/usr/bin/env bash
# Server CPU per request, apart from the load generator: serves DATABASE with the release binary,
# sends N sequential requests to PATH after a warm-up, and divides the server process's CPU time
# (user and system, from /proc) by N. Used beside bench-cases.sh, whose wrk figures include the
# client's share of the same cores.
# Usage: scripts/cpu-per-request.sh sqlite:/path/cases.db /open311/v2/requests.json [N, default 100]
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${1:?database URL}
URLPATH=${2:?path}
N=${3:-100}
cargo build --release --quiet -p danvan
ADDR=127.0.0.1:18780
LOG=$(mktemp)
DANVAN_LOG=warn ./target/release/danvan --database "$DB" serve --addr $ADDR > "$LOG" 2>&1 &
PID=$!
trap 'kill -TERM $PID 2>/dev/null; wait $PID 2>/dev/null; rm -f "$LOG"' EXIT
for _ in $(seq 1 100); do curl -fs "http://$ADDR/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
ticks() { awk '{print $14" "$15}' "/proc/$PID/stat"; }
# The start-up job (planner statistics, escalation) first: wait until the server is idle.
for _ in $(seq 1 90); do a=$(ticks); sleep 2; b=$(ticks); [ $(( ${b% *} + ${b#* } - ${a% *} - ${a#* } )) -lt 10 ] && break; done
for _ in $(seq 1 30); do curl -s -o /dev/null "http://$ADDR$URLPATH"; done
a=$(ticks)
for _ in $(seq 1 "$N"); do curl -s -o /dev/null "http://$ADDR$URLPATH"; done
b=$(ticks)
hz=$(getconf CLK_TCK)
echo "$URLPATH: user $(( (${b% *} - ${a% *}) * 1000000 / hz / N )) µs, system $(( (${b#* } - ${a#* }) * 1000000 / hz / N )) µs of server CPU per request ($N requests, $(curl -s "http://$ADDR$URLPATH" | wc -c) bytes each)"
