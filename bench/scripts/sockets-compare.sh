#!/usr/bin/env bash
# Times `conntrace sockets -o json` against `ss -tanpi` on the same sockets: a fresh network
# namespace holding COUNT established TCP connections on loopback (both ends, so 2*COUNT sockets),
# spread over PROCS processes (bench/scripts/c/sock-hold.c). The two commands run alternately
# RUNS times each, output to /dev/null; prints each run, the medians and the ratio.
#
# usage: bench/scripts/sockets-compare.sh [COUNT=20000] [PROCS=4] [RUNS=7]   (root)
set -euo pipefail
count=${1:-20000}
procs=${2:-4}
runs=${3:-7}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin="$here/../target/c"
mkdir -p "$bin"
if [ ! -x "$bin/sock-hold" ] || [ "$here/c/sock-hold.c" -nt "$bin/sock-hold" ]; then
  gcc -O2 -Wall -o "$bin/sock-hold" "$here/c/sock-hold.c"
fi
"$root/conntrace" --version >/dev/null # builds the command once, outside the timing

name=ct-bench-sock-$$
holder=
cleanup() {
  if [ -n "$holder" ]; then kill -- "-$holder" 2>/dev/null || true; fi
  ip netns del "$name" 2>/dev/null || true
}
trap cleanup EXIT
ip netns add "$name"
ip netns exec "$name" ip link set lo up
fifo=$(mktemp -u)
mkfifo "$fifo"
ip netns exec "$name" "$bin/sock-hold" "$count" "$procs" 7000 >"$fifo" &
read -r word holder <"$fifo"
rm -f "$fifo"
[ "$word" = ready ] || { echo "sockets-compare: holder did not start" >&2; exit 1; }
echo "$(ip netns exec "$name" ss -tan | tail -n +2 | wc -l) TCP sockets in $name, $procs holder processes"

ms() { # runs "$@" in the namespace, prints elapsed milliseconds
  local t0 t1
  t0=$(date +%s%N)
  ip netns exec "$name" "$@" >/dev/null
  t1=$(date +%s%N)
  echo $(((t1 - t0) / 1000000))
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

ours=()
theirs=()
for ((i = 0; i < runs; i++)); do
  ours+=("$(ms "$root/conntrace" sockets -o json)")
  theirs+=("$(ms ss -tanpi)")
done
m1=$(printf '%s\n' "${ours[@]}" | median)
m2=$(printf '%s\n' "${theirs[@]}" | median)
echo "conntrace sockets -o json ms: ${ours[*]}  median $m1"
echo "ss -tanpi ms:                 ${theirs[*]}  median $m2"
awk -v a="$m1" -v b="$m2" 'BEGIN {printf "ratio conntrace/ss: %.2f\n", a / b}'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
