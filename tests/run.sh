#!/usr/bin/env bash
# The test command of the README: builds every project of BatchOrchestrator.sln (the Azure
# Functions host included), publishes the Functions app as `azd up` would, builds and lints the
# Bicep, and runs every MSTest project. Ends with a plain "N passed, N failed" line so a run that
# executed no test is visible.
set -uo pipefail
cd "$(dirname "$0")/.."

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

# The web UI's browser tests drive Debian's Chromium; installed here when missing (a clean CI machine).
bash tests/setup/chromium.sh || { echo "0 passed, 1 failed"; exit 1; }

dotnet build BatchOrchestrator.sln -c Release -nologo -v quiet || { echo "0 passed, 1 failed"; exit 1; }

# The deployable package: what `azd deploy` uploads. BatchOrchestrator.Deploy.Tests reads it from here.
export BO_FUNCTIONS_PUBLISH_DIR="$PWD/out/functions"
rm -rf "$BO_FUNCTIONS_PUBLISH_DIR"
dotnet publish src/BatchOrchestrator.Functions -c Release --no-build -nologo -v quiet -o "$BO_FUNCTIONS_PUBLISH_DIR" \
  || { echo "0 passed, 1 failed"; exit 1; }

dotnet test BatchOrchestrator.sln -c Release --no-build -nologo \
  --logger "trx" --results-directory "$results" "$@"
status=$?

passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
fi
echo "${passed} passed, ${failed} failed"
exit "$status"
