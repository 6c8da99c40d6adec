#!/usr/bin/env bash
# Fleet speed. HOSTS realservers (default 50), each a network namespace with its own sshd on its
# own address, on one bridge with a director (forwarding, as in LVS-NAT) and a controller
# namespace that runs everything. The runbook is the example's realserver part (route -n, the
# on-link route deleted, route -n) plus five sysctl steps. It runs four ways, each twice (first
# run, then the unchanged re-run), from the same state:
#   runbook exec --forks 1, runbook exec --forks HOSTS, runbook exec --engine ansible --forks
#   HOSTS, and the exported playbook under plain ansible-playbook --forks HOSTS.
# Prints hosts per minute and the ratios. Then NETNS (default 1000) netns: targets x 5 sysctl
# steps, without ssh: runbook's own cost per target, and whether the journal is complete.
# Needs root; touches only the namespaces it creates (prefix rbf-). ANSIBLE=0 skips the Ansible
# ways, which take minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
source bench/lib.sh
install_ansible
HOSTS=${HOSTS:-50}
NETNS=${NETNS:-1000}
out=$(pwd)/bench/out/fleet
rm -rf "$out"
mkdir -p "$out"
build_release
bin=$(pwd)/$bin

cleanup() {
    for pidfile in "$out"/sshd-*.pid; do [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null; done
    for ns in $(ip netns list | awk '/^rbf-/ {print $1}'); do
        ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
        ip netns del "$ns" 2>/dev/null || true
    done
}
[ "${KEEP:-0}" = 1 ] || trap cleanup EXIT
cleanup

# The network: a bridge namespace, the director at .9, the controller at .254, hosts from .10.
ip netns add rbf-sw
ip -n rbf-sw link set lo up
ip -n rbf-sw link add br0 type bridge
ip -n rbf-sw link set br0 up
attach() { # NAMESPACE ADDRESS
    ip netns add "$1" 2>/dev/null || true
    ip -n "$1" link set lo up
    ip link add "rbf-$2" type veth peer name eth0 netns "$1"
    ip link set "rbf-$2" netns rbf-sw
    ip -n rbf-sw link set "rbf-$2" master br0 up
    ip -n "$1" addr add "192.168.$(( $2 / 250 + 1 )).$(( $2 % 250 + 4 ))/16" dev eth0
    ip -n "$1" link set eth0 up
}
address() { echo "192.168.$(( $1 / 250 + 1 )).$(( $1 % 250 + 4 ))"; }
# The example's addresses live in 192.168.1.0/24; with a /16 the fleet has room for hundreds.
# Slot 5 is 192.168.1.9, the director's DIP in the example; the controller is 192.168.1.4.
attach rbf-director 5
ip netns exec rbf-director sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.eth0.send_redirects=0
attach rbf-ctl 0
ssh-keygen -q -t ed25519 -N '' -f "$out/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$out/client_key"
cp "$out/client_key.pub" "$out/authorized_keys"
mkdir -p /run/sshd
: > "$out/empty-bashrc"
# curve25519 key exchange: OpenSSH 9's default (sntrup761x25519) costs 140 ms of client CPU a
# connection here, and 50 hosts on two cores would measure the key exchange, for all four ways.
cat > "$out/ssh_config" <<EOF
Host *
  KexAlgorithms curve25519-sha256
  IdentityFile $out/client_key
  UserKnownHostsFile /dev/null
  StrictHostKeyChecking no
  LogLevel ERROR
  ConnectTimeout 10
EOF
{
    echo "[realserver]"
    for i in $(seq "$HOSTS"); do
        n=$(( i + 10 ))
        attach "rbf-h$i" "$n"
        # What the example's realserver starts from: the on-link route and a default via the director.
        ip -n "rbf-h$i" route add 192.168.1.0/24 dev eth0
        ip -n "rbf-h$i" route del 192.168.0.0/16 dev eth0
        ip -n "rbf-h$i" route add default via 192.168.1.9
        cat > "$out/sshd-$i.config" <<EOF
ListenAddress $(address "$n")
HostKey $out/host_key
PidFile $out/sshd-$i.pid
AuthorizedKeysFile $out/authorized_keys
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
PasswordAuthentication no
MaxStartups 200
EOF
        # Each ssh command runs root's login shell, which reads ~/.bashrc; on these machines it
        # starts pyenv (300 ms a command), which no fleet host pays. The sshds see an empty one,
        # bound over it in a mount namespace of their own: the file itself is not touched.
        unshare -m sh -c "mount --bind '$out/empty-bashrc' /root/.bashrc && exec ip netns exec rbf-h$i /usr/sbin/sshd -f '$out/sshd-$i.config'"
        echo "h$i ansible_host=$(address "$n")"
    done
    echo
    echo "[realserver:vars]"
    echo "ansible_user=root"
    echo "ansible_become=false"
    echo "ansible_python_interpreter=/usr/bin/python3"
} > "$out/hosts"
cat > "$out/fleet.md" <<'EOF'
# A fleet of realservers

Before the change a realserver's table may look like this:

```console {host=realserver}
realserver# route -n
Kernel IP routing table
Destination     Gateway         Genmask         Flags Metric Ref    Use Iface
0.0.0.0         192.168.1.9     0.0.0.0         UG    0      0        0 eth0
192.168.1.0     0.0.0.0         255.255.255.0   U     0      0        0 eth0
```

Delete the on-link route; the default route via the director stays:

```console {host=realserver}
realserver# route del -net 192.168.1.0 netmask 255.255.255.0 dev eth0
realserver# route -n
Kernel IP routing table
Destination     Gateway         Genmask         Flags Metric Ref    Use Iface
0.0.0.0         192.168.1.9     0.0.0.0         UG    0      0        0 eth0
realserver# sysctl -w net.ipv4.conf.all.accept_redirects=0
realserver# sysctl -w net.ipv4.conf.all.send_redirects=0
realserver# sysctl -w net.ipv4.conf.default.accept_source_route=0
realserver# sysctl -w net.ipv4.icmp_echo_ignore_broadcasts=1
realserver# sysctl -w net.ipv4.conf.all.log_martians=1
```
EOF
"$bin" export "$out/fleet.md" --format ansible -o "$out/playbook.yml"

reset() {
    for i in $(seq "$HOSTS"); do
        ip -n "rbf-h$i" route replace 192.168.1.0/24 dev eth0
        ip netns exec "rbf-h$i" sysctl -qw net.ipv4.conf.all.accept_redirects=1 net.ipv4.conf.all.send_redirects=1 \
            net.ipv4.conf.default.accept_source_route=1 net.ipv4.icmp_echo_ignore_broadcasts=0 net.ipv4.conf.all.log_martians=0
    done
}
in_ctl() { ip netns exec rbf-ctl "$@"; }
runbook_exec() { # FORKS [ENGINE]
    in_ctl "$bin" exec "$out/fleet.md" --inventory "$out/hosts" --ssh-config "$out/ssh_config" --yes \
        --journal "$out/journal-$1-${2:-runbook}.jsonl" --forks "$1" --engine "${2:-runbook}" --report "json:$out/report.json"
}
plain_ansible() {
    in_ctl env ANSIBLE_HOST_KEY_CHECKING=False ansible-playbook -i "$out/hosts" --forks "$HOSTS" \
        --ssh-common-args "-F $out/ssh_config" "$out/playbook.yml"
}
# Milliseconds of a run that must succeed.
timed_run() {
    local start
    start=$(date +%s%N)
    if ! "$@" > "$out/last.log" 2>&1; then cat "$out/last.log" >&2; echo "bench: failed: $*" >&2; exit 1; fi
    echo $(( ($(date +%s%N) - start) / 1000000 ))
}
measure() { # NAME COMMAND...
    local name=$1 first second
    shift
    reset
    first=$(timed_run "$@")
    # The first run must have changed what it should: every realserver lost its on-link route.
    if ip -n rbf-h1 route show | grep -q '^192.168.1.0/24'; then echo "$name did not run the steps" >&2; exit 1; fi
    second=$(timed_run "$@")
    echo "$name $first $second"
}
results=$(
    measure "runbook --forks 1" runbook_exec 1
    measure "runbook --forks $HOSTS" runbook_exec "$HOSTS"
    # ANSIBLE=0 leaves the two Ansible ways out (they take minutes).
    if [ "${ANSIBLE:-1}" != 0 ]; then
        measure "runbook --engine ansible --forks $HOSTS" runbook_exec "$HOSTS" ansible
        measure "ansible-playbook --forks $HOSTS" plain_ansible
    fi
)
echo "$HOSTS realservers over ssh, 3 + 5 steps each (first run, unchanged re-run):"
echo "$results" | awk -v hosts="$HOSTS" '{
    second = $NF; first = $(NF - 1); $NF = ""; $(NF - 1) = ""
    printf "  %-40s %7d ms %7d ms   %6.0f / %6.0f hosts per minute\n", $0, first, second, hosts * 60000 / first, hosts * 60000 / second
}'
echo "$results" | awk '
    /--forks 1 / { serial1 = $(NF - 1); serial2 = $NF }
    /^runbook --forks/ && !/--forks 1 / { ours1 = $(NF - 1); ours2 = $NF }
    /^ansible-playbook/ { ans1 = $(NF - 1); ans2 = $NF }
    END {
        printf "  ratio --forks 1 / --forks N:        %.1fx first run, %.1fx re-run (target >= 10x)\n", serial1 / ours1, serial2 / ours2
        if (ans1) printf "  ratio ansible-playbook / runbook:   %.1fx first run, %.1fx re-run (target >= 1x)\n", ans1 / ours1, ans2 / ours2
    }'

# runbook's own cost per target: NETNS namespaces, five sysctl steps each, no ssh.
for i in $(seq "$NETNS"); do ip netns add "rbf-n$i"; done
{
    echo '```console {host=r}'
    echo 'r# sysctl -w net.ipv4.conf.all.accept_redirects=0'
    echo 'r# sysctl -w net.ipv4.conf.all.send_redirects=0'
    echo 'r# sysctl -w net.ipv4.conf.default.accept_source_route=0'
    echo 'r# sysctl -w net.ipv4.icmp_echo_ignore_broadcasts=1'
    echo 'r# sysctl -w net.ipv4.conf.all.log_martians=1'
    echo '```'
} > "$out/netns.md"
targets="r=$(seq "$NETNS" | sed 's/^/netns:rbf-n/' | paste -sd,)"
start=$(date +%s%N)
"$bin" exec "$out/netns.md" --target "$targets" --yes --forks 50 --journal "$out/netns.jsonl" >/dev/null
ms=$(( ($(date +%s%N) - start) / 1000000 ))
records=$(wc -l < "$out/netns.jsonl")
echo "$NETNS netns: targets x 5 sysctl steps, --forks 50: $ms ms, $(awk -v ms="$ms" -v n="$NETNS" 'BEGIN { printf "%.2f", ms / n }') ms per target; journal: $records of $(( NETNS * 5 )) records"
[ "$records" -eq $(( NETNS * 5 )) ]
