#!/usr/bin/env bash
# Live capture over veth under a bulk TCP transfer. Two fresh network namespaces joined by a veth
# pair (names live-a-PID / live-b-PID); a C receiver in b, a C sender in a (bench/scripts/c/tcp-bulk.c)
# moving BYTES bytes, paced to MBITS Mbit/s (0: as fast as it goes). Each round runs, alternately:
#   none     the transfer alone (the veth's own rate)
#   capture  the transfer while `conntrace capture -i VETH -w /dev/shm/…pcapng` runs in b
#   streams  the transfer while `conntrace streams -i VETH -o json > /dev/null` runs in b
# and prints the transfer rate (Gbit/s), the packets the command saw, the kernel's drop count
# (PACKET_STATISTICS, as the command prints it on exit), the command's CPU seconds (user+sys), and
# the load average.
#
# usage: bench/scripts/live-capture.sh [BYTES=4000000000] [MBITS=0] [ROUNDS=3]   (root)
# CONNTRACE=path/to/conntrace times another build's launcher; CAPTURE_ARGS and STREAMS_ARGS add options;
# OUT=FILE writes the capture there instead of /dev/shm (e.g. /dev/null, to leave out the file system).
set -euo pipefail
bytes=${1:-4000000000}
mbits=${2:-0}
rounds=${3:-3}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin="$here/../target/c"
mkdir -p "$bin"
if [ ! -x "$bin/tcp-bulk" ] || [ "$here/c/tcp-bulk.c" -nt "$bin/tcp-bulk" ]; then
  gcc -O2 -Wall -o "$bin/tcp-bulk" "$here/c/tcp-bulk.c"
fi
ct=${CONNTRACE:-$root/conntrace}
"$ct" --version >/dev/null # builds the command (and its AOT cache) once, outside the timing

a=live-a-$$
b=live-b-$$
va=live-a$$
vb=live-b$$
shm=${OUT:-/dev/shm/live-capture-$$.pcapng}
work=$(mktemp -d)
cleanup() {
  for p in $(jobs -p); do kill "$p" 2>/dev/null || true; done
  ip netns del "$a" 2>/dev/null || true
  ip netns del "$b" 2>/dev/null || true
  rm -rf "$work"
  if [ -f "$shm" ]; then rm -f "$shm"; fi
}
trap cleanup EXIT
ip netns add "$a"
ip netns add "$b"
ip link add "$va" netns "$a" type veth peer name "$vb" netns "$b"
ip -n "$a" addr add 10.77.0.1/24 dev "$va"
ip -n "$b" addr add 10.77.0.2/24 dev "$vb"
for n in "$a" "$b"; do ip -n "$n" link set lo up; done
ip -n "$a" link set "$va" up
ip -n "$b" link set "$vb" up
echo "veth $va ($a) -> $vb ($b); $bytes bytes per transfer, pace ${mbits} Mbit/s (0 = unpaced)"
echo "offloads on $vb: $(ip netns exec "$b" ethtool -k "$vb" 2>/dev/null | grep -E '^(generic-receive|tcp-segmentation|generic-segmentation)-offload' | tr -s ' \n' ' ' || echo unknown)"

wait_for() { # wait_for FILE TEXT: up to 30 s
  for ((i = 0; i < 300; i++)); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "live-capture: timed out waiting for '$2' in $1" >&2
  cat "$1" >&2
  return 1
}

# round KIND: one transfer with KIND's command running in b; prints one result line
round() {
  local kind=$1 port=$((5000 + RANDOM % 1000)) cmdpid= rate recv
  rm -f "$work/recv" # the last round's "listening" must not be taken for this one's
  ip netns exec "$b" "$bin/tcp-bulk" recv "$port" >"$work/recv" &
  local recvpid=$!
  wait_for "$work/recv" listening
  : >"$work/err"
  case $kind in
    capture)
      ip netns exec "$b" /usr/bin/time -f 'cpu %U %S' -o "$work/time" \
        "$ct" capture -i "$vb" -w "$shm" ${CAPTURE_ARGS:-} 2>"$work/err" &
      cmdpid=$! ;;
    streams)
      ip netns exec "$b" /usr/bin/time -f 'cpu %U %S' -o "$work/time" \
        "$ct" streams -i "$vb" -o json ${STREAMS_ARGS:-} >/dev/null 2>"$work/err" &
      cmdpid=$! ;;
  esac
  if [ -n "$cmdpid" ]; then
    wait_for "$work/err" "listening on"
    sleep 0.5 # the JIT settles a little before the load starts
  fi
  local load; load=$(cut -d' ' -f1-3 /proc/loadavg)
  rate=$(ip netns exec "$a" "$bin/tcp-bulk" send 10.77.0.2 "$port" "$bytes" "$mbits" | awk '{print $4}')
  wait "$recvpid"
  recv=$(awk '/received/ {print $2}' "$work/recv")
  local packets=- drops=- cpu=- size=-
  if [ -n "$cmdpid" ]; then
    sleep 0.3 # blocks retire after 10 ms; let the command drain the ring
    pkill -TERM -P "$cmdpid" 2>/dev/null || true # /usr/bin/time's child: the command's JVM
    wait "$cmdpid" || true
    packets=$(awk '/packets received by filter/ {print $1}' "$work/err")
    drops=$(awk '/packets dropped by kernel/ {print $1}' "$work/err")
    cpu=$(awk '/^cpu/ {printf "%.2f", $2 + $3}' "$work/time")
    if [ "$kind" = capture ]; then
      size=$(stat -c %s "$shm")
      if [ -f "$shm" ]; then rm -f "$shm"; fi
      packets="$(awk '/packets captured/ {print $1}' "$work/err")/$packets"
    fi
  fi
  [ "$recv" = "$bytes" ] || echo "live-capture: receiver got $recv of $bytes bytes" >&2
  printf '%-8s %6s Gbit/s  packets %-15s drops %-6s cpu %-6s s  file %-11s load %s\n' \
    "$kind" "$rate" "$packets" "$drops" "$cpu" "$size" "$load"
}

for ((r = 1; r <= rounds; r++)); do
  round none
  round capture
  round streams
done
echo "$(nproc) CPUs; load average now $(cut -d' ' -f1-3 /proc/loadavg)"
