#!/usr/bin/env bash
# The README's first command: build runbook and rehearse the example runbook for real in a
# disposable lab of network namespaces (root), or show its plan (not root).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
swift build --product runbook >&2
if [ "$(id -u)" -eq 0 ]; then
    exec .build/debug/runbook lab run runbooks/one-network-nat.md "$@"
fi
echo "(not root: a lab needs network namespaces, so here is the plan instead)" >&2
exec .build/debug/runbook plan runbooks/one-network-nat.md "$@"
