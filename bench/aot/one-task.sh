#!/usr/bin/env bash
# Whole-process time of `bo run` on a one-task workflow (`sh>: true`), a fresh folder each run:
# the fixed cost a user pays per run. Median of N (default 7) for each binary given.
# usage: bench/aot/one-task.sh out/bo-aot/bo out/bo/bo [N]
set -euo pipefail
runs=7
binaries=()
for arg in "$@"; do
  if [[ "$arg" =~ ^[0-9]+$ ]]; then runs=$arg; else binaries+=("$(realpath "$arg")"); fi
done
[ "${#binaries[@]}" -gt 0 ] || { echo "usage: $0 BO [BO...] [N]" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for bo in "${binaries[@]}"; do
  times=()
  for i in $(seq "$runs"); do
    folder="$work/run-$RANDOM-$i"
    mkdir -p "$folder"
    printf '+t:\n  sh>: true\n' > "$folder/one.dig"
    start=$(date +%s%N)
    (cd "$folder" && "$bo" run one.dig --session 2026-11-21 >/dev/null)
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  sorted=$(printf '%s\n' "${times[@]}" | sort -n | tr '\n' ' ')
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  echo "$bo: median ${median} ms of $runs (ms: $sorted) size $(du -sh "$(dirname "$bo")" | cut -f1) folder, $(du -h "$bo" | cut -f1) binary"
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
