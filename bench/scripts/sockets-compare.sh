#!/usr/bin/env bash
# Times `conntrace sockets -o json` against `ss -tanpi` on the same sockets: a fresh network
# namespace holding COUNT established TCP connections on loopback (both ends, so 2*COUNT sockets),
# spread over PROCS processes (bench/scripts/c/sock-hold.c). The two commands run alternately
# RUNS times each, output to /dev/null; prints each run, the medians and the ratio.
#
# usage: bench/scripts/sockets-compare.sh [COUNT=20000] [PROCS=4] [RUNS=7]   (root)
# CONNTRACE=path/to/conntrace times another build's launcher (e.g. an older checkout); BEFORE=path/to/conntrace
# times a second build alternately in the same run (before/after figures under the same load).
# Each holder process keeps 2*COUNT/PROCS fds open: PROCS must keep that under the hard fd limit
# (100 000 sockets at a 20 000 limit need PROCS >= 6).
set -euo pipefail
count=${1:-20000}
procs=${2:-4}
runs=${3:-7}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
ct=${CONNTRACE:-$root/conntrace}
before=${BEFORE:-}
limit=$(ulimit -Hn)
if [ "$limit" != unlimited ] && [ $(( 2 * count / procs + 16 )) -gt "$limit" ]; then
  echo "sockets-compare: $procs processes would hold $(( 2 * count / procs + 16 )) fds each, over the limit of $limit;" \
    "use at least $(( (2 * count + limit - 17) / (limit - 16) )) processes" >&2
  exit 2
fi
"$ct" --version >/dev/null # builds the command (and its AOT cache) once, outside the timing

. "$here/socket-holders.sh"
hold_sockets sock "$count" "$procs"

tm=$(mktemp)
run() { # runs "$@" in the namespace; prints "wall_ms cpu_ms" (cpu = user + system)
  /usr/bin/time -f '%e %U %S' -o "$tm" ip netns exec "$name" "$@" >/dev/null
  awk '{printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000}' "$tm"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

ours=(); ours_cpu=(); theirs=(); theirs_cpu=(); old=(); old_cpu=()
for ((i = 0; i < runs; i++)); do
  read -r w c < <(run "$ct" sockets -o json); ours+=("$w"); ours_cpu+=("$c")
  read -r w c < <(run ss -tanpi); theirs+=("$w"); theirs_cpu+=("$c")
  if [ -n "$before" ]; then
    read -r w c < <(run "$before" sockets -o json); old+=("$w"); old_cpu+=("$c")
  fi
done
rm -f "$tm"
m1=$(printf '%s\n' "${ours[@]}" | median); c1=$(printf '%s\n' "${ours_cpu[@]}" | median)
m2=$(printf '%s\n' "${theirs[@]}" | median); c2=$(printf '%s\n' "${theirs_cpu[@]}" | median)
echo "conntrace sockets -o json wall ms: ${ours[*]}  median $m1 (cpu median $c1 ms)"
echo "ss -tanpi wall ms:                 ${theirs[*]}  median $m2 (cpu median $c2 ms)"
awk -v a="$m1" -v b="$m2" -v c="$c1" -v d="$c2" 'BEGIN {printf "ratio conntrace/ss: wall %.2f, cpu %.2f\n", a / b, c / d}'
if [ -n "$before" ]; then
  m3=$(printf '%s\n' "${old[@]}" | median); c3=$(printf '%s\n' "${old_cpu[@]}" | median)
  echo "before ($before) wall ms: ${old[*]}  median $m3 (cpu median $c3 ms)"
  awk -v a="$m3" -v b="$m2" -v c="$c3" -v d="$c2" 'BEGIN {printf "ratio before/ss: wall %.2f, cpu %.2f\n", a / b, c / d}'
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"
