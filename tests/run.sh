#!/usr/bin/env bash
# The test command of the README: builds every project of BatchOrchestrator.sln (the Azure
# Functions host included), publishes the Functions app as `azd up` would, builds and lints the
# Bicep, and runs every MSTest project. Ends with a plain "N passed, N failed" line so a run that
# executed no test is visible.
set -uo pipefail
cd "$(dirname "$0")/.."

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

# The web UI's browser tests drive Debian's Chromium, the kubeconfig tests kubectl; installed here
# when missing (a clean CI machine).
bash tests/setup/chromium.sh || { echo "0 passed, 1 failed"; exit 1; }
bash tests/setup/kubectl.sh || { echo "0 passed, 1 failed"; exit 1; }
# Ruby (rb>) and zsh (sh> with shell:) for the Digdag documentation examples.
bash tests/setup/interpreters.sh || { echo "0 passed, 1 failed"; exit 1; }
bash tests/setup/aot.sh || { echo "0 passed, 1 failed"; exit 1; }

dotnet build BatchOrchestrator.sln -c Release -nologo -v quiet || { echo "0 passed, 1 failed"; exit 1; }

# The deployable package: what `azd deploy` uploads. BatchOrchestrator.Deploy.Tests reads it from here.
export BO_FUNCTIONS_PUBLISH_DIR="$PWD/out/functions"
rm -rf "$BO_FUNCTIONS_PUBLISH_DIR"
dotnet publish src/BatchOrchestrator.Functions -c Release --no-build -nologo -v quiet -o "$BO_FUNCTIONS_PUBLISH_DIR" \
  || { echo "0 passed, 1 failed"; exit 1; }

# The shipped `bo`: Native AOT (release.pubxml), published once and run by BatchOrchestrator.Aot.Tests.
export BO_AOT_BIN="$PWD/out/bo-aot/bo"
# Our own assemblies have no trim or AOT warning (the libraries' are listed, one line each).
rm -rf out/bo-aot
dotnet publish src/BatchOrchestrator.Cli -p:PublishProfile=release -nologo -o out/bo-aot >"$results/aot-publish.log" 2>&1 \
  || { cat "$results/aot-publish.log"; echo "0 passed, 1 failed"; exit 1; }
aot_warnings="$(grep -o 'warning IL[0-9]*: [^[]*' "$results/aot-publish.log" | sort -u)"
echo "$aot_warnings"
if grep -q "BatchOrchestrator\." <<<"$aot_warnings"; then
  echo "the Native AOT publish warns about our code (above)"; echo "0 passed, 1 failed"; exit 1
fi

dotnet test BatchOrchestrator.sln -c Release --no-build -nologo \
  --logger "trx" --results-directory "$results" "$@"
status=$?

passed=0
failed=0
skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  count() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  p=$(count passed)
  f=$(count failed)
  # The trx counts an [Ignore]d or Assert.Inconclusive test in its total but not as executed.
  t=$(count total)
  e=$(count executed)
  i=$(count inconclusive)
  s=$(( ${t:-0} - ${e:-0} + ${i:-0} ))
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
  skipped=$((skipped + ${s:-0}))
done

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
fi
# A test that did not run is neither a pass nor a failure, but it must show.
if [ "$skipped" -gt 0 ]; then
  echo "${skipped} skipped or inconclusive (not counted above or below)"
fi
echo "${passed} passed, ${failed} failed"
exit "$status"
