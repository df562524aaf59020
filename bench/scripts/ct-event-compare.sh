#!/usr/bin/env bash
# Conntrack NEW events for N flows made by bench/scripts/c/ct-fill.c (flat out, or paced at RATE
# flows/s), read by a minimal C reader (c/ct-event-loop.c: poll + recv, messages counted) and by
# conntrace's ConntrackEvents (bench CtEventRate: every event decoded into a Flow), alternating for R
# rounds, each in a fresh namespace, 8 MiB receive queue for both. Prints, per run, events received,
# losses and the reader's CPU time per event. Needs root; build the benchmarks first:
#   ./mvnw -B -q -pl bench -am package -DskipTests
#
# usage: bench/scripts/ct-event-compare.sh [FLOWS] [RATE (0 = flat out)] [ROUNDS]
set -euo pipefail
flows=${1:-100000}
rate=${2:-0}
rounds=${3:-3}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/.mvn/find-jdk.sh"
find_jdk 25
bin="$here/../target/c"
mkdir -p "$bin"
for tool in ct-fill ct-event-loop; do
  if [ ! -x "$bin/$tool" ] || [ "$here/c/$tool.c" -nt "$bin/$tool" ]; then
    gcc -O2 -Wall -o "$bin/$tool" "$here/c/$tool.c"
  fi
done
ns="ct-bench-ev-$$"
trap 'ip netns del "$ns" 2>/dev/null || true' EXIT
echo "flows=$flows rate=$rate (0: flat out) load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 1; r <= rounds; r++)); do
  ip netns add "$ns"
  ip netns exec "$ns" ip link set lo up
  ip netns exec "$ns" nft -f - <<'NFT'
table inet bench {
  chain out { type filter hook output priority 0; ct state new accept; }
  chain in { type filter hook input priority 0; udp dport 9 drop; }
}
NFT
  ip netns exec "$ns" "$bin/ct-event-loop" "$bin/ct-fill" "$flows" "$rate" | grep -v '^sent='
  ip netns del "$ns"
  "$JAVA_HOME/bin/java" -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED -cp "$root/bench/target/benchmarks.jar" \
    dev.conntrace.bench.CtEventRate --filler "$bin/ct-fill" --flows "$flows" --rate "$rate" --rounds 2 | tail -n 1
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
