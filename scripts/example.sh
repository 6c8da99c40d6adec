#!/usr/bin/env bash
# The README's first command: build runbook and show the plan of the example runbook.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
swift build --product runbook >&2
exec .build/debug/runbook plan runbooks/one-network-nat.md "$@"
