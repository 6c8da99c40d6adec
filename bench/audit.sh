#!/usr/bin/env bash
# Audit speed: `runbook audit --scope runtime` of a runbook with 2,000 sysctl expectations on
# this machine (its own current values, so that the audit is clean), against `sysctl -a`
# reading every key, in the same run. Median of RUNS runs each and their ratio.
# Target: at most 1.5x `sysctl -a`. Only reads: the audit never writes.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
source bench/lib.sh
RUNS=${RUNS:-7}
COUNT=${COUNT:-2000}
out=bench/out/audit
mkdir -p "$out"
build_release

# Keys this machine has, with values of one line, repeated to COUNT expectations.
sysctl -a 2>/dev/null | grep -v -e '^fs\.binfmt_misc' -e 'stable_secret' -e '\.random\.' -e 'entropy_avail' -e 'ns_last_pid' \
    -e 'fs\.dentry-state' -e 'fs\.inode' -e 'fs\.file-nr' -e 'fs\.quota' -e 'kernel\.pty\.nr' -e 'nf_conntrack_count' \
    -e '\.stat' -e 'nr_' -e 'usage' -e 'time' > "$out/keys.txt" || true
keys=$(wc -l < "$out/keys.txt")
{ echo '# Audit benchmark'; echo; echo '```conf'
  for i in $(seq "$COUNT"); do sed -n "$(( (i - 1) % keys + 1 ))p" "$out/keys.txt"; done
  echo '```'; } > "$out/sysctls.md"
echo "$COUNT expectations over $keys distinct keys" >&2

"$bin" audit "$out/sysctls.md" --scope runtime > "$out/report.txt" || echo "note: $(tail -1 "$out/report.txt")" >&2
ours=$(for _ in $(seq "$RUNS"); do time_ms "$bin" audit "$out/sysctls.md" --scope runtime; done | median)
base=$(for _ in $(seq "$RUNS"); do time_ms sysctl -a; done | median)
echo "runbook audit (${COUNT} sysctl expectations): ${ours} ms (median of $RUNS)"
echo "sysctl -a:                              ${base} ms (median of $RUNS)"
awk -v a="$ours" -v b="$base" 'BEGIN { printf "ratio: %.2fx sysctl -a (target <= 1.5x)\n", a / b }'
