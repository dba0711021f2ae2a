#!/usr/bin/env bash
# Engine speed against the peers: bash bench/engine/run.sh
# Publishes the local engine (Release, ReadyToRun: precompiled, as a release of `bo` would ship),
# then times, in one run (median of RUNS, default 3):
#   chain 200 and fan-out 1,002 sh> tasks (2-way parallelism) against make -j2 (and snakemake
#   --cores 2 when installed and SNAKEMAKE is not 0), through ../shared/bench/run_peers.sh;
#   10,000 echo> no-op tasks in one workflow, as tasks/s.
# Ours is bench/engine/BoRunBench (`bo-bench <file.dig>`): `bo run` minus its display, on the same
# LocalEngine (`bo run` is not in this branch yet). Prints ratios ours/make and ours/snakemake.
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
times=()
for _ in $(seq "$runs"); do
  rm -rf "$work/.bo"
  t0=$(date +%s.%N)
  (cd "$work" && $ours noop.dig >/dev/null 2>&1) || { echo "noop run FAILED"; exit 1; }
  times+=("$(echo "$(date +%s.%N) - $t0" | bc)")
done
rm -rf "$work"
noop_s=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')
echo "ours noop$noop $noop_s"

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
