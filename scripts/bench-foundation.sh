#!/usr/bin/env bash
# Benchmark of the foundation's read paths on the demo database (3,400+ real units, ~30 officials).
# Each endpoint is loaded with wrk from 127.0.0.1 and compared, as a ratio, with the trivial
# /healthz endpoint of the same server in the same run (the machines are shared and noisy).
# Usage: scripts/bench-foundation.sh [seconds per endpoint, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-10}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
cargo build --release --quiet -p danvan
DIR=$(mktemp -d)
ADDR=127.0.0.1:18777
./target/release/danvan --database "sqlite:$DIR/demo.db" --log-format json demo --addr $ADDR > "$DIR/out.log" 2> "$DIR/err.log" &
PID=$!
trap 'kill -TERM $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DIR"' EXIT
for _ in $(seq 1 100); do curl -fs "http://$ADDR/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
WARD=$(curl -fs "http://$ADDR/api/v1/units?q=cua+nam&kind=ward" | python3 -c 'import sys,json; print(json.load(sys.stdin)["items"][0]["id"])')
RSS_BEFORE=$(ps -o rss= -p $PID)

echo "# $(date -u +%F) $(uname -m), $(nproc) cores, commit $(git rev-parse --short HEAD), wrk -t2 -c16 -d${SECS}s"
printf '| endpoint | requests/s | p50 ms | p99 ms | p99 / healthz p99 |\n|---|---|---|---|---|\n'
BASE_P99=""
for path in "/healthz" "/units" "/units?q=cua+nam" "/units/$WARD" "/api/v1/units?q=phuong&per_page=50" "/api/v1/units/$WARD" "/api/openapi.json"; do
  out=$(wrk -t2 -c16 -d"${SECS}s" --latency "http://$ADDR$path")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  ms() { python3 -c "import sys; v=sys.argv[1]; print(float(v[:-2]) if v.endswith('ms') else float(v[:-2])/1000 if v.endswith('us') else float(v[:-1])*1000)" "$1"; }
  p50ms=$(ms "$p50"); p99ms=$(ms "$p99")
  [ -z "$BASE_P99" ] && BASE_P99=$p99ms
  ratio=$(python3 -c "print(f'{$p99ms/$BASE_P99:.1f}')")
  printf '| `%s` | %s | %.2f | %.2f | %s |\n' "$path" "$rps" "$p50ms" "$p99ms" "$ratio"
done
echo
echo "RSS of the server: $((RSS_BEFORE / 1024)) MB after start, $(( $(ps -o rss= -p $PID) / 1024 )) MB after the load."
