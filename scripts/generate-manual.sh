#!/usr/bin/env bash
# Generates docs/runbook.1 with swift-argument-parser's generate-manual plugin (it builds the
# package in release mode: minutes, not seconds), and docs/runbook.help.json, the description
# of the CLI it was made from. A test fails while the CLI and that file differ: run this script
# after changing a command, an option or a help text.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
swift package plugin generate-manual --date "$(date -u +%Y-%m-%d)" --authors "the runbook developers" >&2
# mdoc wants paragraph breaks as .Pp, not blank lines (man warns about each).
sed 's/^$/.Pp/' .build/plugins/GenerateManual/outputs/runbook/runbook.1 > docs/runbook.1
swift build --product runbook >&2
.build/debug/runbook --experimental-dump-help > docs/runbook.help.json
echo "generate-manual: docs/runbook.1 and docs/runbook.help.json written" >&2
