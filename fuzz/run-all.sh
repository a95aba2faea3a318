#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 600) each, two at a time, seeded from the
# fixtures and the default rules. Needs `cargo install cargo-fuzz`; the stable toolchain
# is enough with RUSTC_BOOTSTRAP=1 and no sanitizer. An input that runs over 60 s counts as a
# hang and is saved under artifacts/ like a crash.
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-600}
export RUSTC_BOOTSTRAP=1
mkdir -p corpus/parse_letter corpus/rule_loader corpus/pdf corpus/citation
cp -n ../fixtures/layout-*/*.txt corpus/parse_letter/ 2>/dev/null || true
cp -n ../rules/*.yaml ../rules/*/*.yaml corpus/rule_loader/ 2>/dev/null || true
cp -n ../fixtures/pdf/*.pdf corpus/pdf/ 2>/dev/null || true
cargo fuzz build -s none
run() {
  cargo fuzz run -s none "$1" "corpus/$1" -- -max_total_time="$secs" -timeout=60 -rss_limit_mb=4096 2>&1 \
    | grep -E "^#[0-9]+ *DONE|Done [0-9]+ runs|ERROR|panicked|crash-|timeout-" | tail -3 | sed "s/^/$1: /"
}
run parse_letter & run rule_loader & wait
run pdf & run citation & wait
