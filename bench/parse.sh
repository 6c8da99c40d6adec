#!/usr/bin/env bash
# Parse speed: `runbook parse --format json` on a ~10 MB runbook of ~50,000 code blocks, against
# the `cmark` CLI (Debian's cmark, the same libcmark) rendering the same file to HTML. Prints the
# median of RUNS runs of each and their ratio. Target: at most 2x cmark.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
source bench/lib.sh
install_debian_packages cmark
RUNS=${RUNS:-7}
out=bench/out
mkdir -p "$out"
build_release

big="$out/big.md"
python3 - "$big" <<'PY'
import sys
blocks = []
for i in range(12500):
    h = f"rs{i % 7}"
    blocks.append(f"""## Step group {i}

On the director, turn off redirects for `eth{i % 4}` and persist it in `/etc/sysctl.conf`:

```console
director:/etc/lvs# echo 0 > /proc/sys/net/ipv4/conf/eth{i % 4}/send_redirects
director:/etc/lvs# sysctl -w net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=2
```

```
net.ipv4.conf.all.send_redirects = 0
net.ipv4.conf.eth{i % 4}.send_redirects = 0
```

The realserver's table before and after:

```console
{h}:/etc/lvs# route -n
Kernel IP routing table
Destination     Gateway         Genmask         Flags Metric Ref    Use Iface
192.168.{i % 250}.0     0.0.0.0         255.255.255.0   U     0      0        0 eth0
0.0.0.0         192.168.1.9     0.0.0.0         UG    0      0        0 eth0
{h}:/etc/lvs# route del -net 192.168.{i % 250}.0 netmask 255.255.255.0 dev eth0
```

```sh
# check it
ip route show
apt-get install -y iproute2 \\
  nftables
```
""")
open(sys.argv[1], "w").write("---\ntitle: bench\n---\n\n" + "\n".join(blocks))
PY
size=$(stat -c %s "$big")
blocks=$(grep -c '^```[a-z]*$' "$big" || true)
echo "input: $big, $((size / 1024 / 1024)) MiB, $((blocks / 2)) code blocks"

"$bin" parse --format json "$big" >/dev/null   # warm the page cache
ours=$(for _ in $(seq "$RUNS"); do time_ms "$bin" parse --format json "$big"; done | median)
base=$(for _ in $(seq "$RUNS"); do time_ms cmark "$big"; done | median)
steps=$("$bin" parse --format json "$big" | grep -c '"index"')
echo "runbook parse --format json: ${ours} ms (median of $RUNS), $steps steps"
echo "cmark (HTML):                ${base} ms (median of $RUNS)"
awk -v a="$ours" -v b="$base" 'BEGIN { printf "ratio: %.2fx cmark (target <= 2x)\n", a / b }'
