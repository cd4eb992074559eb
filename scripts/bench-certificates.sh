#!/usr/bin/env bash
# Issue 11's document benchmark: a 500-certificate batch PDF (fully rendered and as the overlay
# for pre-printed blanks) and a decision with a 500-line annex; time per batch and peak RSS.
# Fails when a batch takes over 10 s or the process over 300 MB. Figures: docs/PERFORMANCE.md.
#   scripts/bench-certificates.sh [N=500] [ROUNDS=3]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet -p danvan-reports --example certificates_bench
"${CARGO_TARGET_DIR:-target}/release/examples/certificates_bench" "${1:-500}" "${2:-3}"
