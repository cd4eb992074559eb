#!/usr/bin/env bash
# Fetches axe-core (the accessibility checker the browser suite runs on each page) from the npm
# registry (its tarball, with curl), checks the tarball against the sha512 pinned here, and puts its
# axe.min.js at target/axe/axe.min.js. Nothing is fetched from a CDN when the tests run: the suite
# reads that file (or $DANVAN_AXE_JS) and, with DANVAN_TEST_BROWSER=1, fails when it is missing.
# To move to another version: its "dist.integrity" (https://registry.npmjs.org/axe-core/X), and change both lines below.
# Usage: scripts/fetch-axe.sh
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=4.10.3
INTEGRITY=sha512-Xm7bpRXnDSX2YE2YFfBk2FnF0ep6tmG7xPh8iHee8MIcrgq762Nkce856dYtJYLkuIoYZvGfTs/PbZhideTcEg==
DEST=target/axe

if [ -f "$DEST/axe.min.js" ] && [ "$(cat "$DEST/VERSION" 2>/dev/null)" = "$INTEGRITY" ]; then
  echo "axe-core $VERSION already in $DEST"
  exit 0
fi

mkdir -p "$DEST"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# The tarball straight from the npm registry (what `npm pack` fetches): no npm needed.
TARBALL="$TMP/axe-core-$VERSION.tgz"
curl -fsSL --retry 3 -o "$TARBALL" "https://registry.npmjs.org/axe-core/-/axe-core-$VERSION.tgz"
test -f "$TARBALL"
GOT="sha512-$(openssl dgst -sha512 -binary "$TARBALL" | base64 -w0)"
if [ "$GOT" != "$INTEGRITY" ]; then
  echo "axe-core $VERSION: the tarball's integrity is $GOT, expected $INTEGRITY" >&2
  exit 1
fi
tar -xzf "$TARBALL" -C "$TMP" package/axe.min.js package/LICENSE
cp "$TMP/package/axe.min.js" "$DEST/axe.min.js"
cp "$TMP/package/LICENSE" "$DEST/LICENSE"
echo "$INTEGRITY" > "$DEST/VERSION"
echo "axe-core $VERSION (integrity checked) in $DEST/axe.min.js"
