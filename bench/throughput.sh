#!/usr/bin/env bash
# Whole-process throughput of `imrlint check --format jsonl` against ripgrep searching the
# same corpus for every vocabulary phrase of the default pack, at 10,000 and 100,000
# generated letters, same thread count, warm cache. Prints letters/s, MB/s, the ratio to
# ripgrep and peak RSS. Usage: bench/throughput.sh [THREADS] [SIZES...]
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${1:-$(nproc)}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
command -v rg >/dev/null || { echo "ripgrep (rg) is needed: apt-get install ripgrep" >&2; exit 2; }
cargo build --release -q --bin imrlint --example gen-corpus
bin=target/release/imrlint
work=${BENCH_DIR:-$(mktemp -d)}
phrases="$work/phrases.txt"
$bin rules phrases > "$phrases"

measure() { # label, command... -> "seconds max_rss_kb"
  local out
  out=$( { /usr/bin/time -f "%e %M" "$@" > /dev/null 2> /dev/null; } 2>&1 | tail -1 )
  echo "$out"
}

printf '%-9s %-8s %10s %9s %8s %12s %9s\n' letters tool seconds letters/s MB/s peak_RSS_MB ratio
for n in "${sizes[@]}"; do
  dir="$work/corpus-$n"
  [ -d "$dir" ] || target/release/examples/gen-corpus --letters "$n" --out "$dir" 2>/dev/null
  mb=$(du -sm --apparent-size "$dir" | cut -f1)
  # Warm the page cache.
  find "$dir" -name "*.txt" -print0 | xargs -0 cat > /dev/null
  read -r rg_s rg_kb < <( { /usr/bin/time -f "%e %M" rg -j "$threads" -c -i -F -f "$phrases" "$dir" > /dev/null; } 2>&1 | tail -1 )
  read -r im_s im_kb < <( { /usr/bin/time -f "%e %M" $bin check --no-config --threads "$threads" --format jsonl "$dir" > /dev/null; } 2>&1 | tail -1 )
  ratio=$(awk -v a="$rg_s" -v b="$im_s" 'BEGIN { printf "%.2f", a / b }')
  awk -v n="$n" -v s="$rg_s" -v mb="$mb" -v kb="$rg_kb" 'BEGIN { printf "%-9d %-8s %10.2f %9.0f %8.1f %12.1f %9s\n", n, "rg", s, n / s, mb / s, kb / 1024, "1.00" }'
  awk -v n="$n" -v s="$im_s" -v mb="$mb" -v kb="$im_kb" -v r="$ratio" 'BEGIN { printf "%-9d %-8s %10.2f %9.0f %8.1f %12.1f %9s\n", n, "imrlint", s, n / s, mb / s, kb / 1024, r }'
done
# Single letter, including loading the default pack.
letter=fixtures/layout-a/001-xray-overturned-order-selector.txt
if command -v hyperfine >/dev/null; then
  hyperfine -N -i --warmup 5 --runs 50 "$bin check --no-config $letter" --export-json "$work/one.json" > /dev/null 2>&1
  python3 -c "import json,sys; r=json.load(open('$work/one.json'))['results'][0]; print('single letter check: mean %.1f ms, median %.1f ms (hyperfine, 50 runs)' % (r['mean']*1000, r['median']*1000))"
fi
