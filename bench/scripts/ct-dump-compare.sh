#!/usr/bin/env bash
# Conntrack dump of one table of N UDP flows in a private namespace, four ways, alternating for R
# rounds of K dumps each:
#   C      - a minimal C recv loop (bench/scripts/c/ct-dump-loop.c), messages counted, not decoded;
#   raw    - conntrace's netlink core (bench CtDumpCount: messages counted, attributes not decoded);
#   ahead  - the library's Conntrack.dump with receive-ahead: every message decoded into a Flow that
#            is handed to a consumer and dropped (bench CtDumpDecode; a second thread receives, the
#            caller's decodes), in a JVM capped at -Xmx96m with the serial collector;
#   serial - the same with the library's default: decode inside the receive loop, one thread
#            (CtDumpDecode --serial).
# Prints the median seconds per dump of each, their ratios to the C loop, and the decoding JVMs'
# peak resident set (VmHWM). The first two dumps of each JVM (JIT warm-up) are discarded.
# Needs root; build the benchmarks first:
#   ./mvnw -B -q -pl bench -am package -DskipTests
# More flows than net.netfilter.nf_conntrack_max (262144 by default) need it raised in the initial
# namespace: RAISE_MAX=1 does that here and puts the old value back at the end.
#
# usage: [RAISE_MAX=1] [NS=existing-namespace] bench/scripts/ct-dump-compare.sh [FLOWS] [ROUNDS] [DUMPS]
set -euo pipefail
flows=${1:-100000}
rounds=${2:-5}
dumps=${3:-5}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/.mvn/find-jdk.sh"
find_jdk 25
old_max=$(cat /proc/sys/net/netfilter/nf_conntrack_max)
if [ -n "${NS:-}" ]; then
  ns=$NS # an existing namespace filled by ct-table.sh; left as it is
  mkdir -p "$here/../target/c" && gcc -O2 -Wall -o "$here/../target/c/ct-dump-loop" "$here/c/ct-dump-loop.c"
  trap 'true' EXIT
else
  ns="ct-bench-$$"
  trap 'ip netns del "$ns" 2>/dev/null || true; [ "$(cat /proc/sys/net/netfilter/nf_conntrack_max)" = "$old_max" ] || sysctl -q -w net.netfilter.nf_conntrack_max="$old_max"' EXIT
  "$here/ct-table.sh" "$ns" "$flows"
fi
jar="$root/bench/target/benchmarks.jar"
java_dumps() { # CLASS [ARGS...]: the dump times after the first two, in seconds
  ip netns exec "$ns" "$JAVA_HOME/bin/java" -Xmx96m -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED \
    -cp "$jar" "$@" --dumps $((dumps + 2)) | tee -a "$log" \
    | sed -n 's/^dump \([0-9]*\):.*, \([0-9.]*\) ms,.*/\1 \2/p' | awk '$1 > 2 { printf "%.6f\n", $2 / 1000 }'
}
log=$(mktemp)
c_times=() ; raw_times=() ; dec_times=() ; ser_times=()
for ((r = 0; r < rounds; r++)); do
  while read -r line; do c_times+=("${line#*seconds=}"); done < <(
    ip netns exec "$ns" "$here/../target/c/ct-dump-loop" "$dumps")
  while read -r s; do raw_times+=("$s"); done < <(java_dumps dev.conntrace.bench.CtDumpCount)
  while read -r s; do dec_times+=("$s"); done < <(java_dumps dev.conntrace.bench.CtDumpDecode)
  while read -r s; do ser_times+=("$s"); done < <(java_dumps dev.conntrace.bench.CtDumpDecode --serial)
done

median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
c=$(median "${c_times[@]}")
raw=$(median "${raw_times[@]}")
dec=$(median "${dec_times[@]}")
ser=$(median "${ser_times[@]}")
echo "flows=$flows rounds=$rounds dumps per round=$dumps (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
awk -v c="$c" -v raw="$raw" -v dec="$dec" -v ser="$ser" 'BEGIN {
  printf "median s/dump: C recv loop %.3f | raw Java loop %.3f (%.3fx) | decoded, receive-ahead %.3f (%.3fx) | decoded, serial (default) %.3f (%.3fx)\n",
    c, raw, raw / c, dec, dec / c, ser, ser / c }'
echo "peak RSS of the decoding JVMs (-Xmx96m): $(grep -o 'peak RSS [0-9]* kB' "$log" | awk '{ print $3 }' | sort -n | tr '\n' ' ')kB"
rm -f "$log"
