#!/usr/bin/env bash
# Whole-process listing of one table of N UDP flows in a private namespace: `conntrace ct list -o
# conntrack` (the ./conntrace launcher) against `conntrack -L -o extended` (conntrack-tools), both
# writing to /dev/null, alternating for R rounds. Prints each run's wall, user and system seconds,
# then the medians and the ratios conntrace / conntrack of wall time and of CPU time (user + system).
# The launcher is run once first so that a stale jar is rebuilt and its AOT cache made outside the
# measurement. Needs root and conntrack-tools.
# More flows than net.netfilter.nf_conntrack_max need it raised in the initial namespace: RAISE_MAX=1
# does that here and puts the old value back at the end.
#
# usage: [RAISE_MAX=1] [NS=existing-namespace] bench/scripts/ct-list-compare.sh [FLOWS] [ROUNDS]
set -euo pipefail
flows=${1:-10000}
rounds=${2:-5}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
conntrace=${CONNTRACE:-$root/conntrace}
old_max=$(cat /proc/sys/net/netfilter/nf_conntrack_max)
if [ -n "${NS:-}" ]; then
  ns=$NS
else
  ns="ct-bench-$$"
  trap 'ip netns del "$ns" 2>/dev/null || true; [ "$(cat /proc/sys/net/netfilter/nf_conntrack_max)" = "$old_max" ] || sysctl -q -w net.netfilter.nf_conntrack_max="$old_max"' EXIT
  "$here/ct-table.sh" "$ns" "$flows"
fi
"$conntrace" --version >/dev/null
have=$(ip netns exec "$ns" cat /proc/sys/net/netfilter/nf_conntrack_count)
timed() { # LABEL CMD...: one run, prints "LABEL wall user sys"
  local label=$1 t
  shift
  t=$(mktemp)
  ip netns exec "$ns" /usr/bin/time -o "$t" -f '%e %U %S' "$@" >/dev/null 2>/dev/null
  echo "$label $(cat "$t")"
  rm -f "$t"
}
results=$(mktemp)
for ((r = 0; r < rounds; r++)); do
  timed conntrace "$conntrace" ct list -o conntrack | tee -a "$results"
  timed conntrack conntrack -L -o extended | tee -a "$results"
done
echo "flows=$have rounds=$rounds (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
awk '
  { wall[$1, ++n[$1]] = $2; cpu[$1, n[$1]] = $3 + $4 }
  function median(arr, who, count,   i, j, t, v) {
    for (i = 1; i <= count; i++) v[i] = arr[who, i]
    for (i = 1; i <= count; i++) for (j = i + 1; j <= count; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
    return (count % 2) ? v[(count + 1) / 2] : (v[count / 2] + v[count / 2 + 1]) / 2
  }
  END {
    jw = median(wall, "conntrace", n["conntrace"]); cw = median(wall, "conntrack", n["conntrack"])
    jc = median(cpu, "conntrace", n["conntrace"]); cc = median(cpu, "conntrack", n["conntrack"])
    printf "median wall: conntrace %.3f s, conntrack %.3f s, ratio %.3f\n", jw, cw, jw / cw
    printf "median CPU (user+sys): conntrace %.3f s, conntrack %.3f s, ratio %.3f\n", jc, cc, jc / cc
  }' "$results"
rm -f "$results"
