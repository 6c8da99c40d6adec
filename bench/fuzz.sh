#!/usr/bin/env bash
# Fuzzes the whole parse (front matter, libcmark, classification, JSON, plan) with libFuzzer and
# AddressSanitizer for SECONDS (default 600), seeded with runbooks/ and the test fixtures; then
# the exports (ExportFuzz: hostile values must stay data in the shell script, the playbook and
# the sysctl file) for EXPORT_SECONDS (default SECONDS / 4). Crashes land in
# bench/out/fuzz/crashes; each one found becomes a regression test. Not part of CI.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
SECONDS_TO_RUN=${1:-600}
out=bench/out/fuzz
mkdir -p "$out/corpus" "$out/crashes"
cp runbooks/*.md "$out/corpus/"
find Tests -name '*.md' -exec cp {} "$out/corpus/" \; 2>/dev/null || true
if [ -d ../shared/corpus ]; then cp ../shared/corpus/*.md "$out/corpus/"; fi
( cd bench/fuzz && swift build -c debug --sanitize=fuzzer --sanitize=address --scratch-path ../../.build-fuzz >&2 )
bin=.build-fuzz/debug/RunbookFuzz
"$bin" "$out/corpus" -max_total_time="$SECONDS_TO_RUN" -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
    -artifact_prefix="$out/crashes/" -print_final_stats=1 2>&1 | tail -n 25
mkdir -p "$out/export-corpus"
printf 'a\0b\0c\0d\0e' > "$out/export-corpus/seed"
# Leaks are the parse target's to find; here Foundation's Process, run per input for sh -n, would
# be reported on every input.
ASAN_OPTIONS=detect_leaks=0 .build-fuzz/debug/ExportFuzz "$out/export-corpus" -max_total_time="${EXPORT_SECONDS:-$((SECONDS_TO_RUN / 4))}" \
    -max_len=4096 -timeout=10 -detect_leaks=0 -artifact_prefix="$out/crashes/export-" -print_final_stats=1 2>&1 | tail -n 12
echo "crashes: $(find "$out/crashes" -type f | wc -l)"
