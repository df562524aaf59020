#!/usr/bin/env bash
# Creates network namespace NAME whose conntrack table holds COUNT UDP flows (one datagram per flow,
# sent by bench/scripts/c/ct-fill.c), with accounting and timestamps on and a one-day UDP timeout
# so the table stays put while it is measured. Delete it with: ip netns del NAME
#
# usage: bench/scripts/ct-table.sh NAME COUNT
set -euo pipefail
name=$1
count=$2
here=$(cd "$(dirname "$0")" && pwd)
bin="$here/../target/c"
mkdir -p "$bin"
for tool in ct-fill ct-dump-loop; do
  if [ ! -x "$bin/$tool" ] || [ "$here/c/$tool.c" -nt "$bin/$tool" ]; then
    gcc -O2 -Wall -o "$bin/$tool" "$here/c/$tool.c"
  fi
done

# A namespace other than the initial one cannot set nf_conntrack_max (read-only there; the initial
# namespace's value caps every namespace's own count), so a big table needs the initial value raised.
# With RAISE_MAX=1 this script raises it and says how to restore it; the caller restores it.
max=$(cat /proc/sys/net/netfilter/nf_conntrack_max)
if [ "$count" -gt "$max" ]; then
  if [ "${RAISE_MAX:-0}" = 1 ]; then
    sysctl -q -w net.netfilter.nf_conntrack_max=$((count + 1024))
    echo "ct-table: raised net.netfilter.nf_conntrack_max from $max to $((count + 1024));" \
      "restore it with: sysctl -w net.netfilter.nf_conntrack_max=$max" >&2
  else
    echo "ct-table: $count flows need net.netfilter.nf_conntrack_max >= $count (it is $max). Run" \
      "'sysctl -w net.netfilter.nf_conntrack_max=$((count + 1024))' in the initial namespace (or set" \
      "RAISE_MAX=1), and restore $max afterwards" >&2
    exit 1
  fi
fi
# The hash table (nf_conntrack_buckets, global, set in the initial namespace or by the hashsize module
# parameter) is shared by every namespace; more flows than buckets only lengthen the chains that
# inserts and lookups walk (a dump visits every bucket once either way), so it is left alone.
buckets=$(cat /proc/sys/net/netfilter/nf_conntrack_buckets)
if [ "$count" -gt $((buckets * 4)) ]; then
  echo "ct-table: note: $count flows in $buckets hash buckets (chains of ~$((count / buckets)))" >&2
fi

ip netns add "$name"
trap 'ip netns del "$name" 2>/dev/null' ERR
netns() { ip netns exec "$name" "$@"; }
netns ip link set lo up
netns sysctl -q -w net.netfilter.nf_conntrack_acct=1 net.netfilter.nf_conntrack_timestamp=1 \
  net.netfilter.nf_conntrack_udp_timeout=86400
# Conntrack tracks nothing in a namespace until a rule uses it; the input drop keeps the
# loopback stack from answering with ICMP port-unreachable.
netns nft -f - <<'NFT'
table inet bench {
  chain out { type filter hook output priority 0; ct state new accept; }
  chain in { type filter hook input priority 0; udp dport 9 drop; }
}
NFT
start=$(date +%s.%N)
netns "$bin/ct-fill" "$count"
end=$(date +%s.%N)
have=$(netns cat /proc/sys/net/netfilter/nf_conntrack_count)
echo "ct-table: namespace $name holds $have flows (filled in $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }') s)" >&2
if [ "$have" -lt "$count" ]; then
  echo "ct-table: expected $count flows" >&2
fi
