#!/usr/bin/env bash
# Runs every fuzz target for FUZZ_SECONDS (default 600) in turn with cargo-fuzz (nightly toolchain), then
# minimises each corpus in place. Usage: fuzz/run.sh [target...]
set -euo pipefail
cd "$(dirname "$0")"
secs=${FUZZ_SECONDS:-600}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(envelope credentials path query)
unset CARGO_BUILD_TARGET
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  echo "== $t: ${secs}s"
  cargo +nightly fuzz run -O "$t" "corpus/$t" -- -max_total_time="$secs" -max_len=4096 -rss_limit_mb=2048 -print_final_stats=1
  cargo +nightly fuzz cmin -O "$t" "corpus/$t" -- -max_len=4096
done
