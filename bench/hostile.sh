#!/usr/bin/env bash
# Hostile templates beside an unrelated workflow on one local engine (issue 18): how much four attempts
# whose templates run to their budget delay an unrelated workflow of echo> tasks. Exit 1 past 1 s.
#   bash bench/hostile.sh [runs] [hostile attempts]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dotnet build "$here/BatchOrchestrator.Bench.Hostile" -c Release -nologo -v quiet >/dev/null
dotnet "$here/BatchOrchestrator.Bench.Hostile/bin/Release/net10.0/BatchOrchestrator.Bench.Hostile.dll" "${1:-5}" "${2:-4}"
