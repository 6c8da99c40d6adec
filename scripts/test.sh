#!/usr/bin/env bash
# The README's second command: the whole test suite. Tests that need root or network
# namespaces skip with a message elsewhere; as root (CI) they all run.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
install_ansible
exec swift test --disable-xctest "$@"
