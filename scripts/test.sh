#!/usr/bin/env bash
# The README's second command: the whole test suite. Tests that need root or network
# namespaces skip with a message elsewhere; as root (CI) they all run. It ends by checking that
# the host's sysctls, sysctl files, links, routes and nftables are as they were before it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
install_ansible
install_junit_schema
before=$(mktemp) after=$(mktemp)
trap 'rm -f "$before" "$after"' EXIT
# Unformatted code fails the run (.swift-format; `swift format -i -r Sources Tests` fixes it).
swift format lint --strict --recursive Sources Tests
bash scripts/host-state.sh > "$before"
swift test --disable-xctest "$@"
bash scripts/host-state.sh > "$after"
if ! diff -u "$before" "$after" >&2; then
    echo "test: the tests changed the host's state (above); they must touch only namespaces they create" >&2
    exit 1
fi
echo "test: host state unchanged ($(wc -l < "$after") lines compared)"
# Installs from this clone into a temporary prefix and runs what was installed.
bash scripts/check-install.sh
