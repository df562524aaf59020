#!/bin/sh
# Times `conntrace streams` against tcpflow on one capture, alternately in the same run.
# usage: bench/scripts/streams-compare.sh CAPTURE [ROUNDS] [OUTDIR]
# Per round: conntrace streams CAPTURE -o json > /dev/null; tcpflow -r CAPTURE -o OUTDIR/tcpflow;
# conntrace streams CAPTURE -w OUTDIR/conntrace -o json > /dev/null (OUTDIR, default /dev/shm, should be a
# tmpfs; both output directories are removed before and after each run). Prints wall, user and sys
# seconds, peak RSS and the load average for each run, and GB/s by wall time.
# BEFORE=path/to/conntrace also times another build's launcher (e.g. an older checkout) in each round,
# right after this one, for before/after figures under the same load.
set -eu
cap=$1
rounds=${2:-3}
out=${3:-/dev/shm}
root=$(CDPATH= cd -- "$(dirname -- "$0")/../.." && pwd)
ct="$root/conntrace"
size=$(stat -c %s "$cap")
before=${BEFORE:-}
"$ct" --version >/dev/null # builds the jar and its AOT cache first
if [ -n "$before" ]; then "$before" --version >/dev/null; fi
cat "$cap" >/dev/null      # page cache

run() {
  label=$1
  shift
  rm -rf "$out/bench-tcpflow" "$out/bench-conntrace"
  load=$(cut -d' ' -f1 /proc/loadavg)
  tf=$(mktemp)
  /usr/bin/time -o "$tf" -f '%e %U %S %M' "$@" >/dev/null 2>&1
  set -- $(tail -n 1 "$tf")
  rm -f "$tf"
  awk -v l="$label" -v w="$1" -v u="$2" -v s="$3" -v m="$4" -v b="$size" -v load="$load" \
    'BEGIN { printf "%-22s wall %6.2f s  user %6.2f s  sys %5.2f s  rss %4d MiB  %5.2f GB/s  load %s\n", l, w, u, s, m / 1024, b / w / 1e9, load }'
  rm -rf "$out/bench-tcpflow" "$out/bench-conntrace"
}

echo "capture $cap: $size bytes"
i=0
while [ "$i" -lt "$rounds" ]; do
  i=$((i + 1))
  run "conntrace -o json" "$ct" streams "$cap" -o json
  if [ -n "$before" ]; then run "before -o json" "$before" streams "$cap" -o json; fi
  run "tcpflow -o DIR" tcpflow -r "$cap" -o "$out/bench-tcpflow"
  run "conntrace -w DIR" "$ct" streams "$cap" -w "$out/bench-conntrace" -o json
  if [ -n "$before" ]; then run "before -w DIR" "$before" streams "$cap" -w "$out/bench-conntrace" -o json; fi
done
