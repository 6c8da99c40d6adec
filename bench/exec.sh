#!/usr/bin/env bash
# Per-step cost of `runbook exec`: a runbook of 1,000 `echo` commands, each with its documented
# output, run locally, against in the same run: a plain bash script of the same commands (the
# floor: no checking at all) and cram (PyPI), which runs a whole transcript as one shell script
# and compares its output. Prints the median of RUNS runs of each and runbook's overhead per step.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
source bench/lib.sh
RUNS=${RUNS:-5}
STEPS=${STEPS:-1000}
out=bench/out/exec
mkdir -p "$out"
command -v cram >/dev/null 2>&1 || python3 -m pip install -q cram >&2
build_release

{ echo '```console'; for i in $(seq "$STEPS"); do echo "\$ echo line $i"; echo "line $i"; done; echo '```'; } > "$out/echo.md"
{ for i in $(seq "$STEPS"); do echo "echo line $i"; done; } > "$out/echo.sh"
{ for i in $(seq "$STEPS"); do echo "  \$ echo line $i"; echo "  line $i"; done; } > "$out/echo.t"

"$bin" exec "$out/echo.md" --yes --journal /dev/null >/dev/null   # must pass before it is timed
ours=$(for _ in $(seq "$RUNS"); do time_ms "$bin" exec "$out/echo.md" --yes --journal /dev/null; done | median)
floor=$(for _ in $(seq "$RUNS"); do time_ms bash "$out/echo.sh"; done | median)
crams=$(for _ in $(seq "$RUNS"); do time_ms cram -q "$out/echo.t"; done | median)
echo "$STEPS echo steps with documented output, median of $RUNS runs:"
echo "  runbook exec: ${ours} ms"
echo "  bash script:  ${floor} ms (no checks; the floor)"
echo "  cram:         ${crams} ms"
awk -v a="$ours" -v b="$floor" -v c="$crams" -v n="$STEPS" 'BEGIN {
    printf "  runbook overhead per step over bash: %.3f ms; runbook/cram: %.2fx\n", (a - b) / n, a / c }'
