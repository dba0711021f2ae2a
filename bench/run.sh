#!/usr/bin/env bash
# Builds the language benchmark in Release and runs it: bash bench/run.sh [sizes...]
# (default sizes 1000 10000 100000). Prints the table and the PASS/FAIL verdicts; see bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/BatchOrchestrator.Bench -c Release -nologo -v quiet
dotnet bench/BatchOrchestrator.Bench/bin/Release/net10.0/BatchOrchestrator.Bench.dll "$@"
