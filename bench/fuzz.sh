#!/usr/bin/env bash
# Fuzzes the whole parse (front matter, libcmark, classification, JSON, plan) with libFuzzer and
# AddressSanitizer for SECONDS (default 600), seeded with runbooks/ and the test fixtures.
# Crashes land in bench/out/fuzz/crashes; each one found becomes a regression test.
# Not part of CI.
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
echo "crashes: $(find "$out/crashes" -type f | wc -l)"
