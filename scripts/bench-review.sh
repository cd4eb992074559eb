#!/usr/bin/env bash
# Benchmark of the review dashboard (issue 12): how long a leader's dashboard takes for the whole
# province (Hà Nội, P01) over 12 months and over 10 years, and for one ward (C00073) over 12
# months, on N generated cases, cold (the first request after the server starts, and, when the
# kernel lets us, after dropping the OS page cache) and warm (the median and the slowest of 20
# requests). Each figure is beside /healthz's median in the same run: compare ratios, since the
# machine is shared. The dashboard reads the monthly counts, so its cost follows months x units,
# not N: the same figures at 10^6 and 10^7 show it.
#
# Then a review report (tổng kết) of the province over the same ten years is generated twice
# through the API (the first right after the server starts): the time from the request to the
# run's end as the client sees it, and as the run records it (requested_at to finished_at).
#
# Usage: scripts/bench-review.sh N
# Environment: BENCH_DB=/path/cases-N.db keeps (and reuses) the generated database;
#              BENCH_BIN=/path/danvan the binary (default: cargo build --release -p danvan);
#              BENCH_REPORT=0 skips the report's generation.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:?number of cases}
TARGET=${CARGO_TARGET_DIR:-target}
if [ -n "${BENCH_BIN:-}" ]; then BIN=$BENCH_BIN; else cargo build --release --quiet -p danvan; BIN=$TARGET/release/danvan; fi
DIR=$(mktemp -d)
FILE=${BENCH_DB:-$DIR/bench.db}
DB="sqlite:$FILE"
if [ -f "$FILE" ]; then
  GEN_NOTE="reused $FILE"
else
  mkdir -p "$(dirname "$FILE")"
  START=$(date +%s)
  "$BIN" --database "$DB" dev generate --petitions "$N" > "$DIR/gen.log" 2>&1
  GEN_NOTE="generated in $(( $(date +%s) - START ))s"
fi
DANVAN_PASSWORD=bench-password-long "$BIN" --database "$DB" user add --username bench.leader --name "Lãnh đạo đo" --unit P01 --role leader > /dev/null 2>&1 || true
TOKEN=$("$BIN" --database "$DB" user token bench.leader bench-review)
PORT=${BENCH_PORT:-18830}
ADDR=127.0.0.1:$PORT
SERVER=""
start() {
  DANVAN_LOG=warn "$BIN" --database "$DB" serve --addr "$ADDR" > "$DIR/serve.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 300); do curl -fs "http://$ADDR/healthz" > /dev/null 2>&1 && return; sleep 0.2; done
  cat "$DIR/serve.log"; exit 1
}
stop() { [ -n "$SERVER" ] && kill "$SERVER" 2> /dev/null && wait "$SERVER" 2> /dev/null || true; SERVER=""; }
trap 'stop; rm -rf "$DIR"' EXIT
# One request's time in ms (fails on any status but 200).
once() {
  curl -fs -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $TOKEN" "http://$ADDR$1" | awk '{printf "%.1f", $1 * 1000}'
}
# Median and maximum of 20 requests, in ms.
warm() {
  for _ in $(seq 1 20); do once "$1"; echo; done | sort -n | awk '{a[NR]=$1} END {printf "%.1f %.1f", (a[10]+a[11])/2, a[NR]}'
}
Y=$(date +%Y); M=$(date +%m)
FROM10=$(( Y - 9 ))-$M
PATHS=(
  "province-12m|/api/v1/review/dashboard?unit=P01"
  "province-10y|/api/v1/review/dashboard?unit=P01&from=$FROM10&to=$Y-$M"
  "ward-12m|/api/v1/review/dashboard?unit=C00073"
)
CASES=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT COUNT(*) FROM cases').fetchone()[0])" "$FILE")
ROWS=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT COUNT(*) FROM case_month_counts').fetchone()[0])" "$FILE")
echo "# $(date -u '+%F %H:%M') UTC, $(uname -m), $(nproc) cores, commit $(git rev-parse --short HEAD), $CASES cases ($GEN_NOTE), $ROWS monthly count rows"
printf "%-20s %10s %12s %10s %10s\n" path cold_ms cold_nocache warm_p50 warm_max
for p in "${PATHS[@]}"; do
  key=${p%%|*}; path=${p#*|}
  start
  cold=$(once "$path")
  stop
  nocache="-"
  if sync && echo 3 > /proc/sys/vm/drop_caches 2> /dev/null; then
    start
    nocache=$(once "$path")
    stop
  fi
  start
  read -r p50 max <<< "$(warm "$path")"
  read -r h50 _ <<< "$(warm /healthz)"
  stop
  printf "%-20s %10s %12s %10s %10s   (/healthz p50 %s ms)\n" "$key" "$cold" "$nocache" "$p50" "$max" "$h50"
done

[ "${BENCH_REPORT:-1}" = 0 ] && exit 0
# A report's generation: draft (POST /review/reports), generate, poll the run until done.
report() {
  local loc id run t0 t1 st=""
  loc=$(curl -fs -o /dev/null -w '%{redirect_url}' -H "Authorization: Bearer $TOKEN" \
    --data-urlencode unit=P01 --data-urlencode kind=final --data-urlencode issuer=unit \
    --data-urlencode "title=công tác dân vận mười năm (đo)" --data-urlencode "from=$FROM10" --data-urlencode "to=$Y-$M" \
    --data-urlencode "place=Hà Nội" --data-urlencode "on_behalf=TM. ỦY BAN NHÂN DÂN" --data-urlencode "signer_title=CHỦ TỊCH" \
    --data-urlencode "signer_name=Nguyễn Văn Đo" --data-urlencode "recipients=Lưu: VT" "http://$ADDR/review/reports")
  id=${loc##*/reports/}; id=${id%%[?/]*}
  t0=$(date +%s%N)
  loc=$(curl -fs -o /dev/null -w '%{redirect_url}' --data "" -H "Authorization: Bearer $TOKEN" "http://$ADDR/review/reports/$id/generate")
  run=${loc##*/runs/}; run=${run%%[?/]*}
  for _ in $(seq 1 6000); do
    st=$(curl -fs -H "Authorization: Bearer $TOKEN" "http://$ADDR/api/v1/review/reports/$id/runs/$run" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')
    case $st in done|failed) break ;; esac
    sleep 0.02
  done
  t1=$(date +%s%N)
  local recorded
  recorded=$(python3 -c "import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute(\"SELECT (julianday(finished_at) - julianday(requested_at)) * 86400000 FROM review_report_runs WHERE id = ?\", (int(sys.argv[2]),)).fetchone(); print('%.0f' % r[0] if r and r[0] is not None else '-')" "$FILE" "$run")
  printf "%-20s %10s %12s %10s   (run %s: %s; recorded %s ms)\n" "report-10y" "$(( (t1 - t0) / 1000000 ))" "-" "-" "$run" "$st" "$recorded"
}
start
report
report
stop
