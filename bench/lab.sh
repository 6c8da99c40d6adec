#!/usr/bin/env bash
# Lab speed: `runbook lab up` + `runbook lab down`, and the full `runbook lab run`, of the
# LVS-NAT example (6 namespaces, a bridge, 5 veths, nftables, 3 responders) and of the router
# example (4 namespaces, 2 bridges, 4 veths, a responder, TCP and ping probes). Medians of RUNS
# runs. Targets: up and down together under 1 s; the full run under 5 s (LVS-NAT), 3 s (router).
# Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
source bench/lib.sh
RUNS=${RUNS:-5}
build_release
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
for doc in runbooks/one-network-nat.md runbooks/two-subnet-router.md; do
    updown=$(for _ in $(seq "$RUNS"); do
        start=$(now_ms); "$bin" lab up "$doc" >/dev/null; "$bin" lab down "$doc"; echo $(( $(now_ms) - start ))
    done | median)
    full=$(for _ in $(seq "$RUNS"); do
        start=$(now_ms); "$bin" lab run "$doc" >/dev/null; echo $(( $(now_ms) - start ))
    done | median)
    echo "$doc"
    echo "  lab up + lab down: ${updown} ms (median of $RUNS; target < 1000 ms)"
    echo "  lab run:           ${full} ms (median of $RUNS)"
done
