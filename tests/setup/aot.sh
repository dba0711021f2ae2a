#!/usr/bin/env bash
# Installs what the Native AOT publish of `bo` links with (a C toolchain and zlib's headers) when
# it is missing. Idempotent and quiet: a machine that has them does nothing.
set -euo pipefail

if { command -v clang >/dev/null || command -v gcc >/dev/null; } && [ -f /usr/include/zlib.h ]; then
  exit 0
fi

run_as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else
    echo "aot.sh: a C toolchain or zlib1g-dev is missing and installing them needs root" >&2; exit 1
  fi
}

export DEBIAN_FRONTEND=noninteractive
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! { run_as_root apt-get update -qq && run_as_root apt-get install -y -qq --no-install-recommends clang zlib1g-dev; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "aot.sh: installing clang and zlib1g-dev failed" >&2
  exit 1
fi
