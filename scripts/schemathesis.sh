#!/usr/bin/env bash
# schemathesis (PyPI) against danvan's OpenAPI document, on a demo database: once without
# credentials and once as an administrator (a personal API token). Every operation is tried with
# generated valid and invalid input; any 5xx fails the run, and so does an answer whose status or
# content type the document does not declare for that operation (the problem+json errors included).
# Only the operations that revoke the fuzzer's own credentials are left out of the
# administrator's run: revoking a token (it could be this one) and revoking a membership (it could
# be this administrator's role).
#
# Usage: scripts/schemathesis.sh [danvan binary, default target/debug/danvan] [seconds per run, default 120]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-target/debug/danvan}
SECS=${2:-120}
python3 -m pip install -q 'schemathesis==4.32.5' >/dev/null 2>&1
DIR=$(mktemp -d)
DB="sqlite:$DIR/demo.db"
ADDR=127.0.0.1:18096
DANVAN_LOG=warn "$BIN" --database "$DB" demo --addr "$ADDR" > "$DIR/demo.log" 2>&1 &
SERVER=$!
trap 'kill -TERM $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true; rm -rf "$DIR"' EXIT
for _ in $(seq 1 300); do grep -q "serving on" "$DIR/demo.log" && break; sleep 0.2; done
curl -fs "http://$ADDR/healthz" > /dev/null
TOKEN=$("$BIN" --database "$DB" user token admin schemathesis)
CHECKS=not_a_server_error,status_code_conformance,content_type_conformance
run() { # label, extra arguments
  local label=$1; shift
  echo "== schemathesis, $label"
  schemathesis run "http://$ADDR/api/openapi.json" --checks "$CHECKS" --max-time "$SECS" --seed 1 \
    --workers 1 --request-timeout 20 --no-color --suppress-health-check all "$@"
}
STATUS=0
run "without credentials" || STATUS=1
run "as an administrator" -H "Authorization: Bearer $TOKEN" \
  --exclude-path-regex '^/api/v1/(tokens/\{id\}|memberships/\{id\})$' || STATUS=1
if grep -qi "panicked" "$DIR/demo.log"; then
  echo "the server panicked:"; grep -i -A3 panicked "$DIR/demo.log"; STATUS=1
fi
exit $STATUS
