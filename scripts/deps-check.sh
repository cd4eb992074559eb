#!/usr/bin/env bash
# Checks of our dependencies with cargo-deny (from crates.io, pinned), configured in deny.toml:
#   - licences: only ones compatible with danvan's AGPL-3.0-or-later;
#   - sources: crates.io only; bans: no wildcard versions (duplicates are reported);
#   - advisories: RustSec's security advisories and yanked crates.
# RustSec's database is a git repository on GitHub (https://github.com/rustsec/advisory-db).
# Where it cannot be fetched (the project's CI machines reach only crates.io, PyPI, Debian and
# npm), the advisory check is SKIPPED and says so in capitals; it never passes silently.
#   DANVAN_ADVISORY_DB=/path/to/advisory-db   use a local (vendored) copy of it instead
#   DANVAN_REQUIRE_ADVISORIES=1               fail instead of skipping when there is none
# Usage: scripts/deps-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=0.20.2
TOOLS=target/tools
DENY=$TOOLS/bin/cargo-deny
if ! "$DENY" --version 2>/dev/null | grep -qF "$VERSION"; then
  echo "installing cargo-deny $VERSION from crates.io into $TOOLS"
  cargo install --quiet --locked cargo-deny --version "$VERSION" --root "$TOOLS"
fi

"$DENY" --locked check bans licenses sources

# The advisory database, in a directory of our own so that a stale copy elsewhere is never used
# without saying so. cargo-deny names its clone of RustSec's repository after a hash of the URL
# (this name is cargo-deny 0.20's for the default URL); a vendored copy goes in its place.
DB_PATH=$(pwd)/target/advisory-dbs
DB=$DB_PATH/advisory-db-3157b0e258782691
CONFIG=$(mktemp)
trap 'rm -f "$CONFIG"' EXIT
python3 - "$CONFIG" "$DB_PATH" <<'PY'
import sys
out, db = sys.argv[1:]
text = open("deny.toml", encoding="utf-8").read()
open(out, "w", encoding="utf-8").write(text.replace("[advisories]\n", f'[advisories]\ndb-path = "{db}"\n', 1))
PY
rm -rf "$DB_PATH"
if [ -n "${DANVAN_ADVISORY_DB:-}" ]; then
  mkdir -p "$DB_PATH" && cp -r "$DANVAN_ADVISORY_DB" "$DB"
  echo "advisories: the vendored database $DANVAN_ADVISORY_DB"
elif "$DENY" --log-level error --config "$CONFIG" fetch db >/dev/null 2>&1; then
  echo "advisories: RustSec's database, fetched now"
elif [ "${DANVAN_REQUIRE_ADVISORIES:-0}" = 1 ]; then
  echo "advisories: FAILED: RustSec's database cannot be fetched from this machine" >&2
  exit 1
else
  echo "advisories: SKIPPED: RustSec's database cannot be fetched from this machine (offline)."
  echo "  Run scripts/deps-check.sh where GitHub is reachable, or set DANVAN_ADVISORY_DB."
  exit 0
fi
"$DENY" --locked --offline --config "$CONFIG" check advisories
