#!/usr/bin/env bash
# Per-call latency of SocketLookup (dev.conntrace.bench.SocketLookupLatency) in a fresh network
# namespace holding COUNT established TCP connections on loopback (both ends, so 2*COUNT sockets),
# spread over PROCS processes of bench/scripts/c/sock-hold.c (the per-process fd limit here is
# 20,000: 100k sockets need at least 6). Extra arguments go to the Java program
# (e.g. --samples 20000 --repeats 200000). MAIN=dev.conntrace.bench.SocketTableTime runs that
# program instead (the full table with processes and tcp_info, in-process, warm).
#
# usage: bench/scripts/lookup-latency.sh [COUNT=10000] [PROCS=4] [java args...]   (root)
# Builds bench/target/benchmarks.jar first when it is missing (./mvnw -pl bench -am package).
set -euo pipefail
count=${1:-10000}
procs=${2:-4}
shift $(($# < 2 ? $# : 2))
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
jar="$here/../target/benchmarks.jar"
if [ ! -f "$jar" ]; then
  (cd "$root" && ./mvnw -B -q -DskipTests -pl bench -am package)
fi
. "$root/.mvn/find-jdk.sh"
find_jdk 25 || { echo "lookup-latency: needs a JDK 25" >&2; exit 1; }

. "$here/socket-holders.sh"
hold_sockets lookup "$count" "$procs"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"
"$JAVA_HOME/bin/java" -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED -cp "$jar" \
  "${MAIN:-dev.conntrace.bench.SocketLookupLatency}" --netns "$name" "$@"
