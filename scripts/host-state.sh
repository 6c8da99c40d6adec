#!/usr/bin/env bash
# Prints what the tests must never change on the machine that runs them: the host's sysctl
# files and sysctls (less the counters the kernel moves by itself), its links, routes and
# nftables ruleset, and the namespaces and /etc/netns entries left behind. scripts/test.sh runs
# it before and after the suite and fails on any difference.
set -uo pipefail
sysctl -a 2>/dev/null | grep -vE '^(kernel\.random\.|fs\.(dentry-state|inode-nr|inode-state|file-nr|quota\.)|kernel\.ns_last_pid|kernel\.pty\.nr|net\.netfilter\.nf_conntrack_count|kernel\.tainted|fs\.aio-nr|kernel\.perf_event_max_sample_rate)'
sha256sum /etc/sysctl.conf /etc/sysctl.d/* 2>/dev/null || true
ip -o link show | sed -E 's/ state [A-Z]+//; s/ qlen [0-9]+//'
ip route show table all
nft list ruleset 2>/dev/null || true
ls /run/netns 2>/dev/null || true
ls /etc/netns 2>/dev/null || true
