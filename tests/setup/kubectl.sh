#!/usr/bin/env bash
# Installs kubectl for the kubeconfig tests, which check our parser against `kubectl config view`,
# when it is missing: Debian's kubernetes-client package (/usr/bin/kubectl). Idempotent and quiet.
set -euo pipefail

if command -v kubectl >/dev/null; then
  exit 0
fi

run_as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else
    echo "kubectl.sh: kubectl is missing and installing it needs root" >&2; exit 1
  fi
}

export DEBIAN_FRONTEND=noninteractive
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! { run_as_root apt-get update -qq && run_as_root apt-get install -y -qq --no-install-recommends kubernetes-client; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "kubectl.sh: installing kubernetes-client failed" >&2
  exit 1
fi
