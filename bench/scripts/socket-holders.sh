# Sourced by the socket benchmarks (bash). hold_sockets TAG COUNT PROCS makes a network namespace,
# ct-bench-TAG-PID (set in $name), holding COUNT established TCP connections on loopback (both ends, so
# 2*COUNT sockets) spread over PROCS processes of c/sock-hold.c (built into ../target/c when missing or
# older than its source), and removes the holders and the namespace when the calling script exits.
hold_sockets() {
  local tag=$1 count=$2 procs=$3 dir bin fifo word
  dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  bin="$dir/../target/c"
  mkdir -p "$bin"
  if [ ! -x "$bin/sock-hold" ] || [ "$dir/c/sock-hold.c" -nt "$bin/sock-hold" ]; then
    gcc -O2 -Wall -o "$bin/sock-hold" "$dir/c/sock-hold.c"
  fi
  name=ct-bench-$tag-$$
  holder=
  trap release_sockets EXIT
  ip netns add "$name"
  ip netns exec "$name" ip link set lo up
  fifo=$(mktemp -u)
  mkfifo "$fifo"
  ip netns exec "$name" "$bin/sock-hold" "$count" "$procs" 7000 >"$fifo" &
  read -r word holder <"$fifo"
  rm -f "$fifo"
  [ "$word" = ready ] || { echo "$tag: holder did not start" >&2; exit 1; }
  echo "$(ip netns exec "$name" ss -tan | tail -n +2 | wc -l) TCP sockets in $name, $procs holder processes"
}

release_sockets() {
  if [ -n "${holder:-}" ]; then kill -- "-$holder" 2>/dev/null || true; fi
  ip netns del "$name" 2>/dev/null || true
}
