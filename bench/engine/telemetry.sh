#!/usr/bin/env bash
# The cost of metrics and traces with nobody listening: bash bench/engine/telemetry.sh
# Publishes bench/engine/BoRunBench twice the way `bo` ships (release profile, Native AOT): with telemetry
# (the default build) and with it compiled out (-p:BoTelemetry=false, which drops the BO_TELEMETRY
# constant: every recording call and its arguments vanish). Then times, alternating the two
# builds run by run so load drifts hit both alike, the engine benchmark's chain (200 sequential
# sh> tasks, ../shared/bench/gen_dags.py) and 10,000 echo> tasks; prints medians of RUNS (default
# 7) and the ratio on/off per shape, of wall time and of CPU time (user + system of the process
# and its children). Target: within 3 % (ratio <= 1.03). CPU time is the steadier measure on a
# shared machine: other processes' load stretches wall time far more than it changes the CPU a
# run itself spends.
# PROFILE=readytorun publishes with the ReadyToRun profile instead (how `bo` shipped before Native AOT).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
runs=${RUNS:-7}
noop=${NOOP_TASKS:-10000}
gen=${GEN_DAGS:-$repo/../shared/bench/gen_dags.py}
unset OTEL_EXPORTER_OTLP_ENDPOINT

# Compiled out first, then the default build, so the shared obj/ folders end as a normal build's.
for variant in off on; do
  flag=$([ "$variant" = on ] && echo true || echo false)
  out="$here/BoRunBench/bin/telemetry-$variant"
  rm -rf "$out"
  dotnet publish "$here/BoRunBench" -p:PublishProfileFullPath="$repo/src/BatchOrchestrator.Cli/Properties/PublishProfiles/${PROFILE:-release}.pubxml" \
    -p:BoTelemetry=$flag -o "$out" -nologo -v quiet >/dev/null
done

echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$gen" "$work/dags" >/dev/null
mkdir -p "$work/noop"
python3 - "$work/noop/noop.dig" "$noop" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(1, int(sys.argv[2]) + 1):
        f.write(f"+n{i}:\n  echo>: n{i}\n")
PY

time_one() { # variant, folder, file: "wall cpu" seconds of one run in a fresh copy
  local copy; copy=$(mktemp -d "$work/run.XXXX")
  cp "$2"/*.dig "$copy/"; mkdir -p "$copy/out"
  (cd "$copy" && /usr/bin/time -f '%e %U %S' -o "$copy.time" "$here/BoRunBench/bin/telemetry-$1/bo-bench" "$3" >/dev/null 2>&1) \
    || { echo "run of $3 ($1) FAILED" >&2; exit 1; }
  awk '{printf "%s %.2f\n", $1, $2 + $3}' "$copy.time"
  # Deleted after timing: a deletion right before a run slows its file creation (see README.md).
  echo "$copy" >> "$work/copies"
}
median() { sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }

for shape in chain noop; do
  folder=$([ "$shape" = chain ] && echo "$work/dags/chain" || echo "$work/noop")
  file=$([ "$shape" = chain ] && echo chain.dig || echo noop.dig)
  : > "$work/$shape.on"; : > "$work/$shape.off"
  for i in $(seq "$runs"); do
    # Alternate which build goes first, so neither always runs right after the other's clean-up.
    if [ $((i % 2)) = 1 ]; then order="on off"; else order="off on"; fi
    for variant in $order; do
      time_one "$variant" "$folder" "$file" >> "$work/$shape.$variant"
    done
    xargs rm -rf < "$work/copies"; : > "$work/copies"
  done
done

# The ratio is the median of each pair's on/off (the two runs of one iteration, back to back), so
# load that drifts across the run cancels out; the medians of each build are printed beside it.
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| shape | measure | telemetry on (no listener) s | compiled out s | median of paired on/off | target ≤ 1.03 |"
echo "|---|---|---|---|---|---|"
for shape in chain noop; do
  name=$([ "$shape" = chain ] && echo "chain 200 sh>" || echo "$noop echo>")
  for column in 1 2; do
    measure=$([ $column = 1 ] && echo wall || echo "CPU (user+sys)")
    on=$(cut -d' ' -f$column "$work/$shape.on" | median); off=$(cut -d' ' -f$column "$work/$shape.off" | median)
    ratio=$(paste -d' ' "$work/$shape.on" "$work/$shape.off" | awk -v c=$column '{printf "%.4f\n", $c / $(c + 2)}' | median)
    echo "| $name | $measure | $on | $off | $ratio | $([ "$(echo "$ratio <= 1.03" | bc)" = 1 ] && echo PASS || echo FAIL) |"
  done
done
