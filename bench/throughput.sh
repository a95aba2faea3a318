#!/usr/bin/env bash
# Whole-process throughput of `imrlint check --format jsonl` against ripgrep searching the
# same corpus for every vocabulary phrase of the default pack, at 10,000 and 100,000
# generated letters, same thread count, warm cache. Prints letters/s, MB/s, the ratio to
# ripgrep and peak RSS, each the median of RUNS runs (default 3).
# Usage: [RUNS=N] [IMRLINT=BINARY] bench/throughput.sh [THREADS] [SIZES...]
# IMRLINT measures another build of imrlint than target/release/imrlint, such as the
# profile-guided one bench/pgo-build.sh writes (target/pgo/imrlint).
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${1:-$(nproc)}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
command -v rg >/dev/null || { echo "ripgrep (rg) is needed: apt-get install ripgrep" >&2; exit 2; }
cargo build --release -q --bin imrlint --example gen-corpus
bin=${IMRLINT:-target/release/imrlint}
[ -x "$bin" ] || { echo "no imrlint binary at $bin" >&2; exit 2; }
work=${BENCH_DIR:-$(mktemp -d)}
phrases="$work/phrases.txt"
$bin rules phrases > "$phrases"

runs=${RUNS:-3}
# Reads every letter of folder $1 so that the next run finds it in the page cache. This
# machine's kernel pages out file pages it sees little used (DAMON's pageout scheme: a
# minute without access), so one warm-up before a series of runs does not last: runs
# late in the series read part of the corpus from disk and wait for it. Every run is
# therefore preceded by its own warm-up.
warm() {
  find "$1" -name "*.txt" -print0 | xargs -0 cat > /dev/null
}
# Runs a command once after warming folder $1 and appends "seconds max_rss_kb" to file $2.
once() {
  local dir=$1 log=$2 out="$work/time.txt"
  shift 2
  warm "$dir"
  # imrlint exits 1 when it finds errors; `time` then notes the status on a first line.
  /usr/bin/time -o "$out" -f "%e %M" "$@" > /dev/null 2> /dev/null || true
  tail -1 "$out" >> "$log"
}
# Prints "median_seconds min_seconds max_seconds max_rss_kb" of the runs logged in file $1.
# Wall times on a shared machine move by a fifth between runs: the median of a few is
# steadier than any one, and the spread is printed so a reader can judge.
summary() {
  sort -g "$1" | awk '{ t[NR] = $1; if ($2 > kb) kb = $2 } END {
    m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
    printf "%.2f %.2f %.2f %d\n", m, t[1], t[NR], kb }'
}

echo "median of $runs runs each (min-max in brackets), $threads threads, $bin"
printf '%-9s %-8s %10s %13s %9s %8s %12s %9s\n' letters tool seconds "(min-max)" letters/s MB/s peak_RSS_MB ratio
for n in "${sizes[@]}"; do
  dir="$work/corpus-$n"
  [ -d "$dir" ] || target/release/examples/gen-corpus --letters "$n" --out "$dir" 2>/dev/null
  mb=$(du -sm --apparent-size "$dir" | cut -f1)
  rg_log="$work/rg-$n.log" im_log="$work/imrlint-$n.log"
  : > "$rg_log"
  : > "$im_log"
  # The two tools take turns, so a busy spell on the machine falls on both alike.
  for _ in $(seq "$runs"); do
    once "$dir" "$rg_log" rg -j "$threads" -c -i -F -f "$phrases" "$dir"
    once "$dir" "$im_log" $bin check --no-config --threads "$threads" --format jsonl "$dir"
  done
  read -r rg_s rg_lo rg_hi rg_kb < <(summary "$rg_log")
  read -r im_s im_lo im_hi im_kb < <(summary "$im_log")
  ratio=$(awk -v a="$rg_s" -v b="$im_s" 'BEGIN { printf "%.2f", a / b }')
  row() { # tool seconds lo hi kb ratio
    awk -v n="$n" -v tool="$1" -v s="$2" -v lo="$3" -v hi="$4" -v mb="$mb" -v kb="$5" -v r="$6" \
      'BEGIN { printf "%-9d %-8s %10.2f %13s %9.0f %8.1f %12.1f %9s\n", n, tool, s, "(" lo "-" hi ")", n / s, mb / s, kb / 1024, r }'
  }
  row rg "$rg_s" "$rg_lo" "$rg_hi" "$rg_kb" 1.00
  row imrlint "$im_s" "$im_lo" "$im_hi" "$im_kb" "$ratio"
done
# Single letter, including loading the default pack.
letter=fixtures/layout-a/001-xray-overturned-order-selector.txt
if command -v hyperfine >/dev/null; then
  hyperfine -N -i --warmup 5 --runs 50 "$bin check --no-config $letter" --export-json "$work/one.json" > /dev/null 2>&1
  python3 -c "import json,sys; r=json.load(open('$work/one.json'))['results'][0]; print('single letter check: mean %.1f ms, median %.1f ms (hyperfine, 50 runs)' % (r['mean']*1000, r['median']*1000))"
fi
