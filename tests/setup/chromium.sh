#!/usr/bin/env bash
# Installs Debian's Chromium for the web UI's end-to-end tests (Playwright drives it through
# ExecutablePath) when it is missing. Idempotent and quiet: a machine that has it does nothing.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

run_as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else
    echo "chromium.sh: /usr/bin/chromium is missing and installing it needs root" >&2; exit 1
  fi
}

export DEBIAN_FRONTEND=noninteractive
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! { run_as_root apt-get update -qq && run_as_root apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "chromium.sh: installing chromium failed" >&2
  exit 1
fi
