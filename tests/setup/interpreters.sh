#!/usr/bin/env bash
# Installs the interpreters the Digdag documentation examples run, when missing: Debian's ruby
# (rb>) and zsh (sh> with `shell: ["/usr/bin/zsh"]`). Idempotent and quiet.
set -euo pipefail

missing=()
command -v ruby >/dev/null || missing+=(ruby)
[ -x /usr/bin/zsh ] || missing+=(zsh)
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

run_as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else
    echo "interpreters.sh: ${missing[*]} missing and installing needs root" >&2; exit 1
  fi
}

export DEBIAN_FRONTEND=noninteractive
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! { run_as_root apt-get update -qq && run_as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "interpreters.sh: installing ${missing[*]} failed" >&2
  exit 1
fi
