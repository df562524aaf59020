#!/usr/bin/env bash
# Creates network namespace NAME whose conntrack table holds COUNT UDP flows (one datagram per flow,
# sent by bench/scripts/c/ct-fill.c), with accounting and timestamps on and a one-hour UDP timeout
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

max=$(cat /proc/sys/net/netfilter/nf_conntrack_max)
if [ "$count" -gt "$max" ]; then
  echo "ct-table: $count flows need net.netfilter.nf_conntrack_max >= $count (it is $max; set it in the initial namespace)" >&2
  exit 1
fi

ip netns add "$name"
trap 'ip netns del "$name" 2>/dev/null' ERR
netns() { ip netns exec "$name" "$@"; }
netns ip link set lo up
netns sysctl -q -w net.netfilter.nf_conntrack_acct=1 net.netfilter.nf_conntrack_timestamp=1 \
  net.netfilter.nf_conntrack_udp_timeout=3600
# Conntrack tracks nothing in a namespace until a rule uses it; the input drop keeps the
# loopback stack from answering with ICMP port-unreachable.
netns nft -f - <<'NFT'
table inet bench {
  chain out { type filter hook output priority 0; ct state new accept; }
  chain in { type filter hook input priority 0; udp dport 9 drop; }
}
NFT
netns "$bin/ct-fill" "$count"
have=$(netns cat /proc/sys/net/netfilter/nf_conntrack_count)
echo "ct-table: namespace $name holds $have flows" >&2
