#!/usr/bin/env bash
# The crash test at length: the server SIGKILLed N times (default 300) under sustained creations
# and updates through the API, then every acknowledged write checked (crates/danvan/tests/crash.rs).
# CI runs it with 30 kills. With DANVAN_TEST_PG_URL set it also runs on PostgreSQL; add
# DANVAN_CRASH_DB_KILL and DANVAN_CRASH_DB_START (shell commands that kill and start that
# PostgreSQL server, e.g. `su postgres -c "pg_ctl -D … -m immediate -w stop"`) to kill the database
# every other round instead of the server.
#
# Usage: scripts/crash-test.sh [kills]
set -euo pipefail
cd "$(dirname "$0")/.."
DANVAN_CRASH_KILLS=${1:-300} cargo test -p danvan --test crash -- --nocapture --test-threads=1
