#!/usr/bin/env bash
# Engine speed against the peers: bash bench/engine/run.sh
# Publishes the local engine (Release, ReadyToRun: precompiled, as a release of `bo` would ship),
# then times, in one run (median of RUNS, default 3):
#   chain 200 and fan-out 1,002 sh> tasks (2-way parallelism) against make -j2 (and snakemake
#   --cores 2 when installed and SNAKEMAKE is not 0), through ../shared/bench/run_peers.sh;
#   10,000 echo> no-op tasks in one workflow, as tasks/s;
#   the floors: a one-task workflow (start-up) and the local executor alone against make -j2
#   (EXECUTOR_FLOOR=0 skips the latter).
# Ours is bench/engine/BoRunBench (`bo-bench <file.dig>`): `bo run` minus its display, on the same
# LocalEngine (`bo run` adds its live display). Prints ratios ours/make and ours/snakemake.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
peers=${PEERS:-$repo/../shared/bench/run_peers.sh}
runs=${RUNS:-3}
noop=${NOOP_TASKS:-10000}

# Published the way `bo` ships (src/BatchOrchestrator.Cli/Properties/PublishProfiles/release.pubxml):
# self-contained, our code and the framework precompiled into one composite ReadyToRun image, so a
# run does not spend its first few hundred milliseconds of CPU in the JIT.
published="$here/BoRunBench/bin/publish"
rm -rf "$published"
dotnet publish "$here/BoRunBench" -p:PublishProfileFullPath="$repo/src/BatchOrchestrator.Cli/Properties/PublishProfiles/release.pubxml" \
  -o "$published" -nologo -v quiet >/dev/null
ours="$published/bo-bench"

results=$(mktemp)
trap 'rm -f "$results"' EXIT
RUNS=$runs SHAPES="chain fanout" bash "$peers" "$ours" | tee "$results"

# 10,000 no-op tasks: echo> runs in the orchestrator (a log line), no process.
work=$(mktemp -d)
python3 - "$work/noop.dig" "$noop" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(1, int(sys.argv[2]) + 1):
        f.write(f"+n{i}:\n  echo>: n{i}\n")
PY
# Each run gets a fresh copy of the folder, and the copies are deleted only after the last run.
# Deleting one run's 10,000 log files right before the next run starts makes ext4 step over those
# just-freed inodes on every file the next run creates: the same run then takes 2.5-6 s instead of
# 1.4-1.7 s, nearly all of it kernel time in file creation (measured with perf; see README.md).
# That is the benchmark's own clean-up, not the engine, so it stays out of the timed runs.
median_run() { # folder, file: median wall seconds of RUNS fresh runs of one workflow
  local times=() copies=()
  for i in $(seq "$runs"); do
    local copy="$1.run$i"
    rm -rf "$copy"; mkdir -p "$copy"; cp "$1/$2" "$copy/"
    copies+=("$copy")
    local t0; t0=$(date +%s.%N)
    (cd "$copy" && $ours "$2" >/dev/null 2>&1) || { echo "run of $2 FAILED" >&2; exit 1; }
    times+=("$(echo "$(date +%s.%N) - $t0" | bc)")
  done
  rm -rf "${copies[@]}"
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'
}
noop_s=$(median_run "$work" noop.dig)

# The floor under every shape: a workflow of one sh> task (process start, engine start, one task).
printf '+only:\n  sh>: true\n' > "$work/one.dig"
one_s=$(median_run "$work" one.dig)
rm -rf "$work"
echo "ours noop$noop $noop_s"
echo "ours one-task $one_s"

echo
echo "| shape | make -j2 s | snakemake s | ours s | ours/make | ours/snakemake | target |"
echo "|---|---|---|---|---|---|---|"
for s in chain fanout; do
  m=$(awk -v s="$s" '$1=="make-j2" && $2==s {print $3}' "$results")
  k=$(awk -v s="$s" '$1=="snakemake" && $2==s {print $3}' "$results")
  o=$(awk -v s="$s" '$1=="ours" && $2==s {print $3}' "$results")
  rm_=$(echo "scale=2; $o / $m" | bc)
  rk=$([ -n "$k" ] && echo "scale=2; $o / $k" | bc || echo "-")
  verdict=$([ "$(echo "$o <= $m" | bc)" = 1 ] && echo PASS || echo FAIL)
  echo "| $s | $m | ${k:--} | $o | $rm_ | $rk | ≤ make -j2: $verdict |"
done
rate=$(echo "scale=0; $noop / $noop_s" | bc)
echo "| $noop echo> no-ops | - | - | $noop_s | - | - | $rate tasks/s ≥ 2,000: $([ "$rate" -ge 2000 ] && echo PASS || echo FAIL) |"
make_chain=$(awk '$1=="make-j2" && $2=="chain" {print $3}' "$results")
echo "| one sh> task (start-up floor) | - | - | $one_s | $(echo "scale=2; $one_s / $make_chain" | bc) of make's whole chain | - | - |"

# The spawn-and-wait floor: the local executor alone (no engine, no records), 1,000 commands 2 at a
# time, against make -j2 in the same run (bench/BatchOrchestrator.Bench.Executors).
if [ "${EXECUTOR_FLOOR:-1}" = 1 ]; then
  echo
  dotnet build -c Release "$repo/bench/BatchOrchestrator.Bench.Executors" -nologo -v quiet >/dev/null
  DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 dotnet "$repo/bench/BatchOrchestrator.Bench.Executors/bin/Release/net10.0/BatchOrchestrator.Bench.Executors.dll" 1000 "$runs" local
fi
