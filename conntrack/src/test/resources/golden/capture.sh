#!/bin/sh
# Regenerates the ctnetlink golden vectors: builds conntrack entries in a throw-away network
# namespace, runs `conntrack` under strace to record the exact bytes the kernel sent it, and
# writes them beside the line conntrack printed for each message.
# Needs root, iproute2, nftables, conntrack-tools, strace, python3. Run from this directory.
set -eu
ns="ct-golden-$$"
trap 'ip netns del "$ns" 2>/dev/null || true' EXIT
ip netns add "$ns"
run() { ip netns exec "$ns" "$@"; }
run ip link set lo up
run sysctl -qw net.netfilter.nf_conntrack_acct=1 net.netfilter.nf_conntrack_timestamp=1 2>/dev/null || true
run nft -f - <<'NFT'
table inet t {
  ct helper ftp-h { type "ftp" protocol tcp; }
  chain c { type filter hook output priority 0; tcp dport 21 ct helper set "ftp-h"; udp dport 4242 ct mark set 0x2a; udp dport 4343 ct label set 3; ct state new accept; }
  chain i { type filter hook input priority 0; udp dport { 4242, 4343, 6666, 8888, 9999 } drop; }
}
table ip nat {
  chain out { type nat hook output priority -100; udp dport 7777 dnat to 127.0.0.5:8888; }
  chain post { type nat hook postrouting priority 100; ip daddr 127.0.0.7 snat to 127.0.0.9; }
}
NFT
q() { run conntrack "$@" >/dev/null 2>&1; }
q -I -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2 --state ESTABLISHED -t 100 -u ASSURED,SEEN_REPLY
q -I -p tcp -s 1.1.1.9 -d 2.2.2.2 --sport 1 --dport 2 --state SYN_SENT -t 100 --orig-zone 4
q -I -p tcp -s 1.1.1.8 -d 2.2.2.2 --sport 1 --dport 2 --state SYN_SENT -t 100 --reply-zone 5
q -I -p udp -s 1.1.1.1 -d 2.2.2.2 --sport 5 --dport 53 -t 50 -m 7 -w 3
q -I -p icmp -s 1.1.1.1 -d 2.2.2.2 --icmp-type 8 --icmp-code 0 --icmp-id 77 -t 30
q -I -p tcp -s 2001:db8::1 -d 2001:db8::2 --sport 10 --dport 20 --state SYN_SENT -t 100 -m 4294967295
q -I -p icmpv6 -s 2001:db8::1 -d 2001:db8::2 --icmpv6-type 128 --icmpv6-code 0 --icmpv6-id 9 -t 30
q -I -p sctp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2 --state ESTABLISHED --orig-vtag 5 --reply-vtag 6 -t 30
q -I -p gre -s 1.1.1.1 -d 2.2.2.2 --srckey 1 --dstkey 2 -t 30
q -I -p tcp -s 1.1.1.7 -d 2.2.2.2 --sport 1 --dport 2 --state ESTABLISHED -t 100 -u ASSURED,SEEN_REPLY,OFFLOAD
run python3 - <<'PY'
import socket
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for port in (4242, 4343, 6666, 7777, 9999):
    u.sendto(b"hello", ("127.0.0.3" if port != 6666 else "127.0.0.7", port))
l = socket.socket(); l.bind(("127.0.0.1", 8080)); l.listen()
c = socket.create_connection(("127.0.0.1", 8080)); a, _ = l.accept()
c.sendall(b"x" * 1000); a.recv(1000); c.close(); a.close()
l6 = socket.socket(socket.AF_INET6); l6.bind(("::1", 8081)); l6.listen()
c6 = socket.create_connection(("::1", 8081)); a6, _ = l6.accept(); c6.sendall(b"y" * 10); a6.recv(10)
u6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u6.sendto(b"z", ("::1", 9999))
PY
# An FTP control connection kept open while capturing: the ftp helper sees the 227 reply and
# creates an expectation for the data connection.
run python3 - <<'PY' &
import socket, time
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); l.bind(("127.0.0.1", 21)); l.listen()
c = socket.create_connection(("127.0.0.1", 21)); a, _ = l.accept()
a.sendall(b"220 hi\r\n"); c.recv(100)
c.sendall(b"PASV\r\n"); a.recv(100)
a.sendall(b"227 Entering Passive Mode (127,0,0,1,195,80).\r\n"); c.recv(100)
time.sleep(8)
PY
ftp=$!
sleep 1.5

capture() { # $1 = output file, rest = conntrack arguments
  out="$1"; shift
  while :; do
    before=$(date +%s)
    run strace -qq -e trace=recvmsg,recvfrom -e read=all -o /tmp/ctgolden.$$ conntrack "$@" >/tmp/ctgolden.$$.out 2>/dev/null
    after=$(date +%s)
    [ "$before" = "$after" ] && break
  done
  python3 - "$out" "$before" /tmp/ctgolden.$$ /tmp/ctgolden.$$.out "$*" <<'PY'
import re, sys, platform
out, now, trace, text, args = sys.argv[1:]
buffers, cur = [], None
for line in open(trace):
    if line.startswith(' * '):
        cur = bytearray(); buffers.append(cur)
    elif line.startswith(' | ') and cur is not None:
        cur.extend(bytes.fromhex(line[9:58].replace(' ', '')))
msgs = []
for buf in buffers:
    off = 0
    while off + 16 <= len(buf):
        n = int.from_bytes(buf[off:off + 4], 'little')
        if n < 16: break
        typ = int.from_bytes(buf[off + 4:off + 6], 'little')
        if typ not in (2, 3):  # NLMSG_ERROR, NLMSG_DONE
            msgs.append(bytes(buf[off:off + n]))
        off += (n + 3) & ~3
lines = [l.rstrip('\n') for l in open(text)]
with open(out, 'w') as f:
    f.write(f'# conntrack {args} on Linux {platform.release()}; see capture.sh\n')
    f.write(f'now {now}\n')
    for i, m in enumerate(msgs):
        f.write('msg ' + m.hex() + '\n')
        if i < len(lines):
            f.write('line ' + lines[i] + '\n')
PY
  rm -f /tmp/ctgolden.$$ /tmp/ctgolden.$$.out
}
capture dump-mixed.txt -L -o extended,id
# conntrack reads expectations with recvfrom, whose data strace does not dump: dump them here
# over NETLINK_NETFILTER and pair each with conntrack's line when both show the same timeout.
run python3 - <<'PY'
import socket, struct, subprocess, platform
def dump():
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 12)
    s.bind((0, 0))
    s.send(struct.pack('<IHHII', 20, (2 << 8) | 1, 0x301, 1, 0) + bytes([2, 0, 0, 0]))
    msgs = []
    while True:
        data = s.recv(65536)
        off = 0
        while off < len(data):
            n, t = struct.unpack_from('<IH', data, off)
            if t == 3:
                return msgs
            msgs.append(data[off:off + n])
            off += (n + 3) & ~3
def timeout(m):
    off = 20
    while off < len(m):
        n, t = struct.unpack_from('<HH', m, off)
        if t & 0x3fff == 4:
            return struct.unpack_from('>I', m, off + 4)[0]
        off += (n + 3) & ~3
for attempt in range(10):
    msgs = dump()
    lines = subprocess.run(['conntrack', '-L', 'expect'], capture_output=True, text=True).stdout.splitlines()
    if msgs and len(msgs) == len(lines) and all(str(timeout(m)) == l.split()[0] for m, l in zip(msgs, lines)):
        break
with open('expect.txt', 'w') as f:
    f.write(f'# conntrack -L expect on Linux {platform.release()}; see capture.sh\n')
    for m, l in zip(msgs, lines):
        f.write('msg ' + m.hex() + '\nline ' + l + '\n')
PY
wait "$ftp"
capture stats-global.txt -C
capture stats-cpu.txt -S

# Requests conntrack itself sends to create entries, to check our request writer against.
requests() {
  out=requests.txt
  echo "# conntrack -I requests on Linux $(uname -r); see capture.sh" > "$out"
  while read -r args; do
    [ -z "$args" ] && continue
    # shellcheck disable=SC2086
    run strace -qq -e trace=sendto,sendmsg -e write=all -o /tmp/ctgolden.$$ conntrack -I $args >/dev/null 2>&1 || true
    python3 - "$out" "$args" /tmp/ctgolden.$$ <<'PY'
import sys
out, args, trace = sys.argv[1:]
buf = None
for line in open(trace):
    if line.startswith(' | '):
        buf.extend(bytes.fromhex(line[9:58].replace(' ', '')))
    elif buf is None:
        buf = bytearray()
    else:
        break  # only the first request
with open(out, 'a') as f:
    f.write('args ' + args + '\n')
    f.write('msg ' + bytes(buf).hex() + '\n')
PY
    rm -f /tmp/ctgolden.$$
  done <<'ARGS'
-p tcp -s 10.9.0.1 -d 10.9.0.2 --sport 1000 --dport 80 --state ESTABLISHED -t 120 -u ASSURED,SEEN_REPLY
-p udp -s 10.9.0.1 -d 10.9.0.2 --sport 5000 --dport 53 -t 30 -m 7 -w 3
-p icmp -s 10.9.0.1 -d 10.9.0.2 --icmp-type 8 --icmp-code 0 --icmp-id 77 -t 30
-p tcp -s 2001:db8::1 -d 2001:db8::2 --sport 10 --dport 20 --state SYN_SENT -t 100
-p udp -s 10.9.0.3 -d 10.9.0.4 --sport 1 --dport 2 -t 30 --orig-zone 4
ARGS
}
requests
