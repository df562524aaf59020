#!/usr/bin/env bash
# Raw conntrack dump: conntrace's netlink core (bench CtDumpCount: messages counted, attributes not
# decoded) against a minimal C recv loop (bench/scripts/c/ct-dump-loop.c) on the same table of N UDP
# flows in one private namespace, alternating the two for R rounds of K dumps each. Prints the
# median seconds per dump of each and their ratio (Java / C). Needs root; build the benchmarks first:
#   ./mvnw -B -q -pl bench -am package -DskipTests
#
# usage: bench/scripts/ct-dump-compare.sh [FLOWS] [ROUNDS] [DUMPS]
set -euo pipefail
flows=${1:-100000}
rounds=${2:-5}
dumps=${3:-5}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/.mvn/find-jdk.sh"
find_jdk 25
ns="ct-bench-$$"
trap 'ip netns del "$ns" 2>/dev/null || true' EXIT
"$here/ct-table.sh" "$ns" "$flows"

c_times=()
j_times=()
for ((r = 0; r < rounds; r++)); do
  while read -r line; do c_times+=("${line#*seconds=}"); done < <(
    ip netns exec "$ns" "$here/../target/c/ct-dump-loop" "$dumps")
  # The first two dumps of each JVM warm the JIT up; only the steady state is compared.
  while read -r ms; do j_times+=("$(awk -v m="$ms" 'BEGIN { printf "%.6f", m / 1000 }')"); done < <(
    ip netns exec "$ns" "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
      -cp "$root/bench/target/benchmarks.jar" dev.conntrace.bench.CtDumpCount --dumps $((dumps + 2)) \
      | sed -n 's/^dump \([0-9]*\):.*, \([0-9.]*\) ms,.*/\1 \2/p' | awk '$1 > 2 { print $2 }')
done

median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
c=$(median "${c_times[@]}")
j=$(median "${j_times[@]}")
echo "flows=$flows dumps: C=${#c_times[@]} java=${#j_times[@]}"
echo "median seconds per dump: C recv loop $c, conntrace $j"
awk -v c="$c" -v j="$j" 'BEGIN { printf "ratio conntrace / C = %.3f\n", j / c }'
