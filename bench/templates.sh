#!/usr/bin/env bash
# Template render cost (bench/BatchOrchestrator.Bench.Templates) on this tree and, for comparison, on
# another revision of the repository (default: main) built from a clean export of it.
#   bash bench/templates.sh [REV] [renders]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
rev="${1:-main}"
renders="${2:-2000}"
other="$(mktemp -d)"
trap 'rm -rf "$other"' EXIT

git -C "$repo" archive "$rev" | tar -x -C "$other"
rm -rf "$other/bench/BatchOrchestrator.Bench.Templates"
cp -r "$repo/bench/BatchOrchestrator.Bench.Templates" "$other/bench/"
rm -rf "$other/bench/BatchOrchestrator.Bench.Templates/bin" "$other/bench/BatchOrchestrator.Bench.Templates/obj"

for tree in "$other" "$repo"; do
  dotnet build "$tree/bench/BatchOrchestrator.Bench.Templates" -c Release -nologo -v quiet >/dev/null
done

echo "== $rev ($(grep -o 'Include="Jint" Version="[^"]*"' "$other/Directory.Packages.props"))"
dotnet "$other/bench/BatchOrchestrator.Bench.Templates/bin/Release/net10.0/BatchOrchestrator.Bench.Templates.dll" "$renders"
echo "== this tree ($(grep -o 'Include="Jint" Version="[^"]*"' "$repo/Directory.Packages.props"))"
dotnet "$repo/bench/BatchOrchestrator.Bench.Templates/bin/Release/net10.0/BatchOrchestrator.Bench.Templates.dll" "$renders" --hostile
