package dev.conntrace.bench;

import dev.conntrace.packet.Checksums;
import dev.conntrace.packet.PcapWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes a synthetic Ethernet pcap of many interleaved TCP connections for reassembly benchmarks,
 * deterministic by seed:
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.conntrace.bench.CaptureGenerator OUT.pcap SIZE_MB SEED
 * </pre>
 *
 * <p>At least {@value #MIN_CONNECTIONS} connections ({@value #ACTIVE} open at a time, their packets interleaved),
 * a third over IPv6; each is a three-way handshake, a request, a response (a fifth of the requests are bulk
 * uploads), bare ACKs every second segment, and a FIN exchange or (one in ten) a RST. Data segments carry
 * the timestamp option and mostly 1448-byte payloads, some shorter. About 2 % of data segments are delayed
 * behind the next one (reordering), 0.1 % are never captured (loss, a real gap) and 0.1 % are captured twice.
 * About 2 % of connections reuse the 4-tuple of a finished one with a new SYN and ISN. IPv4 and TCP checksums
 * are valid. Payload bytes come from a fixed pseudo-random pool at a per-direction offset, so streams differ.
 */
public final class CaptureGenerator {
    static final int MIN_CONNECTIONS = 2000;
    static final int ACTIVE = 48;
    static final int MSS = 1448;
    private static final int POOL = (1 << 20) + 4093;

    private final SplittableRandom rnd;
    private final PcapWriter out;
    private final byte[] pool = new byte[POOL + 65536];
    private final byte[] frame = new byte[14 + 40 + 60 + 65536];
    private final MemorySegment frameSeg = MemorySegment.ofArray(frame);
    private final List<Conn> finished = new ArrayList<>();
    private long clock = 1_700_000_000_000_000_000L;
    private long written;
    private long packets;

    private CaptureGenerator(SplittableRandom rnd, PcapWriter out) {
        this.rnd = rnd;
        this.out = out;
        rnd.nextBytes(pool);
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: CaptureGenerator OUT.pcap SIZE_MB SEED");
            System.exit(2);
        }
        Path path = Path.of(args[0]);
        long target = Long.parseLong(args[1]) << 20;
        long seed = Long.parseLong(args[2]);
        try (PcapWriter w = PcapWriter.open(new BufferedOutputStream(Files.newOutputStream(path), 1 << 20), 1, 65535,
                false)) {
            CaptureGenerator g = new CaptureGenerator(new SplittableRandom(seed), w);
            int conns = g.run(target);
            System.err.printf("%s: %d bytes, %d packets, %d connections%n", path, g.written + 24, g.packets, conns);
        }
    }

    /** Generates until the file holds {@code target} bytes and at least MIN_CONNECTIONS connections; returns the count. */
    private int run(long target) throws IOException {
        long perConn = Math.max(4096, target / (MIN_CONNECTIONS + MIN_CONNECTIONS / 4));
        Conn[] active = new Conn[ACTIVE];
        int started = 0;
        for (int i = 0; i < ACTIVE; i++) {
            active[i] = newConn(started++, perConn, active);
        }
        int live = ACTIVE;
        while (live > 0) {
            int i = rnd.nextInt(ACTIVE);
            Conn c = active[i];
            if (c == null) {
                continue;
            }
            int burst = 1 + rnd.nextInt(4);
            for (int k = 0; k < burst && !c.done; k++) {
                c.step();
            }
            if (c.done) {
                finished.add(c);
                if (written < target || started < MIN_CONNECTIONS) {
                    active[i] = newConn(started++, perConn, active);
                } else {
                    active[i] = null;
                    live--;
                }
            }
        }
        return started;
    }

    private Conn newConn(int index, long perConn, Conn[] active) {
        Conn c = new Conn();
        Conn reuse = null;
        if (!finished.isEmpty() && rnd.nextInt(50) == 0) {
            reuse = finished.get(rnd.nextInt(finished.size()));
            for (Conn a : active) {
                if (a != null && a.sameTuple(reuse)) {
                    reuse = null;
                    break;
                }
            }
        }
        if (reuse != null) {
            c.v6 = reuse.v6;
            c.cHigh = reuse.cHigh;
            c.cLow = reuse.cLow;
            c.sHigh = reuse.sHigh;
            c.sLow = reuse.sLow;
            c.cPort = reuse.cPort;
            c.sPort = reuse.sPort;
        } else {
            c.v6 = rnd.nextInt(3) == 0;
            if (c.v6) {
                c.cHigh = 0x2001_0db8_0000_0001L;
                c.cLow = 0x1000_0000_0000_0000L | index;
                c.sHigh = 0x2001_0db8_0000_0002L;
                c.sLow = 1 + rnd.nextInt(64);
            } else {
                c.cLow = 0x0A00_0000L | (index & 0xFFFFFF);
                c.sLow = 0xC0A8_0000L | (1 + rnd.nextInt(64));
            }
            c.cPort = 1024 + rnd.nextInt(64512);
            int[] servers = {80, 443, 8080, 5432, 6379, 9092};
            c.sPort = servers[rnd.nextInt(servers.length)];
        }
        long bulk = perConn / 2 + rnd.nextLong(perConn);
        boolean upload = rnd.nextInt(5) == 0;
        c.toSend[0] = upload ? bulk : 64 + rnd.nextInt(1500);
        c.toSend[1] = upload ? 64 + rnd.nextInt(200) : bulk;
        c.isn[0] = rnd.nextLong() & 0xFFFF_FFFFL;
        c.isn[1] = rnd.nextLong() & 0xFFFF_FFFFL;
        c.poolBase[0] = rnd.nextInt(POOL);
        c.poolBase[1] = rnd.nextInt(POOL);
        c.rst = rnd.nextInt(10) == 0;
        return c;
    }

    /** One connection's script; {@link #step} emits its next packet(s). */
    private final class Conn {
        boolean v6;
        long cHigh;
        long cLow;
        long sHigh;
        long sLow;
        int cPort;
        int sPort;
        final long[] isn = new long[2];
        final long[] toSend = new long[2];
        final long[] sent = new long[2];
        final int[] poolBase = new int[2];
        final int[] unacked = new int[2];
        /** A data segment held back to be emitted after the next one (reordering): side, offset, length. */
        int heldSide = -1;
        long heldOffset;
        int heldLength;
        boolean rst;
        int phase;
        boolean done;

        boolean sameTuple(Conn o) {
            return v6 == o.v6 && cHigh == o.cHigh && cLow == o.cLow && sHigh == o.sHigh && sLow == o.sLow && cPort == o.cPort
                    && sPort == o.sPort;
        }

        long seq(int side) {
            return isn[side] + 1 + sent[side];
        }

        void step() throws IOException {
            switch (phase) {
                case 0 -> {
                    emit(0, 0x02, isn[0], 0, 0, 0, true);
                    phase = 1;
                }
                case 1 -> {
                    emit(1, 0x12, isn[1], isn[0] + 1, 0, 0, true);
                    phase = 2;
                }
                case 2 -> {
                    emit(0, 0x10, seq(0), seq(1), 0, 0, false);
                    phase = 3;
                }
                case 3 -> data(0);
                case 4 -> data(1);
                case 5 -> close();
                default -> throw new AssertionError();
            }
        }

        private void data(int side) throws IOException {
            long left = toSend[side] - sent[side];
            if (left <= 0) {
                flushHeld();
                phase++;
                return;
            }
            int len = (int) Math.min(left, rnd.nextInt(30) == 0 ? 1 + rnd.nextInt(MSS) : MSS);
            long offset = sent[side];
            sent[side] += len;
            int r = rnd.nextInt(1000);
            if (r < 1) {
                // lost: never captured
            } else if (r < 2) {
                segment(side, offset, len);
                segment(side, offset, len);
            } else if (r < 22 && heldSide < 0) {
                heldSide = side;
                heldOffset = offset;
                heldLength = len;
            } else {
                segment(side, offset, len);
                flushHeld();
            }
            if (++unacked[side] >= 2) {
                unacked[side] = 0;
                emit(1 - side, 0x10, seq(1 - side), seq(side), 0, 0, false);
            }
        }

        private void flushHeld() throws IOException {
            if (heldSide >= 0) {
                int s = heldSide;
                heldSide = -1;
                segment(s, heldOffset, heldLength);
            }
        }

        private void segment(int side, long offset, int len) throws IOException {
            emit(side, 0x18, isn[side] + 1 + offset, seq(1 - side), len, poolBase[side] + offset, false);
        }

        private void close() throws IOException {
            if (rst) {
                int side = rnd.nextInt(2);
                emit(side, 0x14, seq(side), seq(1 - side), 0, 0, false);
            } else {
                int first = rnd.nextInt(2);
                emit(first, 0x11, seq(first), seq(1 - first), 0, 0, false);
                sent[first]++;
                emit(1 - first, 0x11, seq(1 - first), seq(first), 0, 0, false);
                sent[1 - first]++;
                emit(first, 0x10, seq(first), seq(1 - first), 0, 0, false);
            }
            done = true;
        }

        /** Builds and writes one Ethernet frame from {@code side} (0 client, 1 server). */
        private void emit(int side, int flags, long seq, long ack, int len, long poolOffset, boolean syn) throws IOException {
            int optLen = syn ? 20 : 12;
            int tcpLen = 20 + optLen + len;
            int ipLen = v6 ? 40 : 20;
            int p = 0;
            for (int i = 0; i < 6; i++) {
                frame[p + i] = (byte) (side == 0 ? 0x02 : 0x04);
                frame[p + 6 + i] = (byte) (side == 0 ? 0x04 : 0x02);
            }
            p = 12;
            p = u16(p, v6 ? 0x86DD : 0x0800);
            long srcH = side == 0 ? cHigh : sHigh;
            long srcL = side == 0 ? cLow : sLow;
            long dstH = side == 0 ? sHigh : cHigh;
            long dstL = side == 0 ? sLow : cLow;
            int ip = p;
            if (v6) {
                p = u32(p, 0x6000_0000);
                p = u16(p, tcpLen);
                frame[p++] = 6;
                frame[p++] = 64;
                p = u64(p, srcH);
                p = u64(p, srcL);
                p = u64(p, dstH);
                p = u64(p, dstL);
            } else {
                p = u16(p, 0x4500);
                p = u16(p, 20 + tcpLen);
                p = u16(p, (int) (packets & 0xFFFF));
                p = u16(p, 0x4000);
                frame[p++] = 64;
                frame[p++] = 6;
                p = u16(p, 0);
                p = u32(p, (int) srcL);
                p = u32(p, (int) dstL);
                int sum = Checksums.checksum(Checksums.sum(frameSeg, ip, 20));
                u16(ip + 10, sum);
            }
            int tcp = p;
            p = u16(p, side == 0 ? cPort : sPort);
            p = u16(p, side == 0 ? sPort : cPort);
            p = u32(p, (int) seq);
            p = u32(p, (flags & 0x10) != 0 ? (int) ack : 0);
            p = u16(p, ((20 + optLen) / 4) << 12 | flags);
            p = u16(p, 0xFFFF);
            p = u16(p, 0);
            p = u16(p, 0);
            if (syn) {
                p = u32(p, 0x0204_0000 | (v6 ? 1440 : 1460)); // MSS
                p = u16(p, 0x0402); // SACK permitted
                frame[p++] = 8; // timestamps
                frame[p++] = 10;
                p = u32(p, (int) (clock / 1_000_000));
                p = u32(p, 0);
                frame[p++] = 1; // NOP
                p = u16(p, 0x0303); // window scale
                frame[p++] = 7;
            } else {
                p = u16(p, 0x0101);
                frame[p++] = 8;
                frame[p++] = 10;
                p = u32(p, (int) (clock / 1_000_000));
                p = u32(p, (int) (clock / 1_000_000) - 1);
            }
            if (len > 0) {
                int from = (int) (poolOffset % POOL);
                System.arraycopy(pool, from, frame, p, len);
                p += len;
            }
            long pseudo = Checksums.pseudoHeader(v6 ? 6 : 4, srcH, srcL, dstH, dstL, 6, tcpLen);
            u16(tcp + 16, Checksums.checksum(pseudo + Checksums.sum(frameSeg, tcp, tcpLen)));
            clock += 200 + rnd.nextInt(2000);
            out.writePacket(clock, frameSeg, 0, p, p);
            written += 16 + p;
            packets++;
        }

        private int u16(int p, int v) {
            frame[p] = (byte) (v >>> 8);
            frame[p + 1] = (byte) v;
            return p + 2;
        }

        private int u32(int p, int v) {
            u16(p, v >>> 16);
            return u16(p + 2, v);
        }

        private int u64(int p, long v) {
            u32(p, (int) (v >>> 32));
            return u32(p + 4, (int) v);
        }
    }
}
