#!/usr/bin/env bash
# Whole-process time of `bo run` on a one-task workflow (`sh>: true`), a fresh folder each run:
# the fixed cost a user pays per run. For each binary given, the median of N runs (default 7) of
# wall time and of CPU time (user + system of bo and its children). The binaries take turns run
# by run, so a change of load on a shared machine hits them alike.
# usage: bench/aot/one-task.sh out/bo/bo out/bo-r2r/bo [N]
set -euo pipefail
runs=7
binaries=()
for arg in "$@"; do
  if [[ "$arg" =~ ^[0-9]+$ ]]; then runs=$arg; else binaries+=("$(realpath "$arg")"); fi
done
[ "${#binaries[@]}" -gt 0 ] || { echo "usage: $0 BO [BO...] [N]" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "$0: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq "$runs"); do
  for b in "${!binaries[@]}"; do
    folder="$work/run-$b-$i"
    mkdir -p "$folder"
    printf '+t:\n  sh>: true\n' > "$folder/one.dig"
    # "wall cpu" in seconds, one line per run.
    (cd "$folder" && /usr/bin/time -f '%e %U %S' -o "$work/time" "${binaries[$b]}" run one.dig --session 2026-11-21 >/dev/null)
    awk '{ printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000 }' "$work/time" >> "$work/times-$b"
  done
done

median() { sort -n | sed -n "$(( (runs + 1) / 2 ))p"; }
for b in "${!binaries[@]}"; do
  bo=${binaries[$b]}
  wall=$(cut -d' ' -f1 "$work/times-$b" | median)
  cpu=$(cut -d' ' -f2 "$work/times-$b" | median)
  all=$(cut -d' ' -f1 "$work/times-$b" | sort -n | tr '\n' ' ')
  echo "$bo: median ${wall} ms wall, ${cpu} ms CPU of $runs (wall ms: $all); $(du -sh "$(dirname "$bo")" | cut -f1) folder, $(du -h "$bo" | cut -f1) binary"
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
