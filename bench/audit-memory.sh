#!/usr/bin/env bash
# Peak memory of `imrlint audit` as the batch grows: copies the fixture letters of
# fixtures/audit/ and fixtures/layout-a/ into a temporary directory until it holds N
# letters, runs the release binary on it with /usr/bin/time -v, and prints the maximum
# resident set size for each N.
#
#   cargo build --release && bench/audit-memory.sh 1000 10000
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/imrlint
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 2; }
sizes=("${@:-1000 10000}")
[ $# -gt 0 ] || sizes=(1000 10000)
mapfile -t letters < <(ls fixtures/audit/*.txt fixtures/layout-a/*.txt)
for n in "${sizes[@]}"; do
    dir=$(mktemp -d)
    for ((i = 0; i < n; i++)); do
        src=${letters[$((i % ${#letters[@]}))]}
        sub=$dir/$((i / 1000))
        mkdir -p "$sub"
        cp "$src" "$sub/$(printf '%06d' "$i")-$(basename "$src")"
    done
    start=$(date +%s.%N)
    /usr/bin/time -v "$bin" audit "$dir" --format json --html "$dir/report.html" \
        > /dev/null 2> "$dir/time.txt"
    end=$(date +%s.%N)
    rss=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$dir/time.txt")
    printf 'letters %6d  max RSS %7d KiB  wall %.1f s\n' "$n" "$rss" "$(echo "$end - $start" | bc)"
    rm -rf "$dir"
done
