#!/usr/bin/env bash
# Builds imrlint with profile-guided optimisation (PGO) for long batches: an instrumented
# build checks a training set, and the release build then lays out and inlines its code by
# the counts it recorded. The training set is a generated corpus with its own seed (7; the
# benchmark's corpora use the default, 42), the fixture letters, and one letter alone, so
# the batch, the human report and the one-letter path are all measured.
#
# Needs llvm-profdata from the same LLVM as rustc: `rustup component add llvm-tools`.
# Usage: bench/pgo-build.sh [TRAINING_LETTERS]   (default 4000)
# Writes target/pgo/imrlint; `IMRLINT=target/pgo/imrlint bench/throughput.sh` measures it.
set -euo pipefail
cd "$(dirname "$0")/.."
letters=${1:-4000}
host=$(rustc -vV | sed -n 's/^host: //p')
profdata="$(rustc --print sysroot)/lib/rustlib/$host/bin/llvm-profdata"
[ -x "$profdata" ] || {
  echo "llvm-profdata not found at $profdata: rustup component add llvm-tools" >&2
  exit 2
}
work=$PWD/target/pgo
rm -rf "$work/raw" "$work/train"
mkdir -p "$work/raw"

cargo build --release -q --example gen-corpus
target/release/examples/gen-corpus --letters "$letters" --out "$work/train" --seed 7 2>/dev/null

# `--target` keeps the flags off build scripts and proc macros: only imrlint is measured.
RUSTFLAGS="-Cprofile-generate=$work/raw" \
  cargo build --release -q --bin imrlint --target "$host" --target-dir "$work/generate"
gen="$work/generate/$host/release/imrlint"
# Findings make imrlint exit 1; the runs are for their counts.
"$gen" check --no-config --format jsonl "$work/train" > /dev/null || true
"$gen" check --no-config --threads 1 --format jsonl "$work/train" > /dev/null || true
"$gen" check --no-config fixtures/ > /dev/null 2>&1 || true
"$gen" check --no-config fixtures/layout-a/001-xray-overturned-order-selector.txt > /dev/null || true
"$profdata" merge -o "$work/imrlint.profdata" "$work/raw"

RUSTFLAGS="-Cprofile-use=$work/imrlint.profdata" \
  cargo build --release -q --bin imrlint --target "$host" --target-dir "$work/use"
cp "$work/use/$host/release/imrlint" "$work/imrlint"
echo "built $work/imrlint (profile from $letters generated letters and the fixtures)"
