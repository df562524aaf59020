package dev.conntrace.reassembly;

import dev.conntrace.packet.PcapWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes Ethernet/IPv4/TCP captures with correct checksums and known content: {@code connections}
 * connections, {@code concurrent} at a time interleaved, each a 100-byte request and a response of
 * {@code responseBytes} in 1448-byte segments, then FINs. Optionally reorders neighbouring segments
 * and duplicates some. Returns the SHA-256 of every direction (the ground truth).
 *
 * <p>{@code main(path, connections, responseBytes)} writes a large capture for throughput runs.
 */
final class SyntheticCapture {
    static final int MSS = 1448;

    /** Ground truth of one direction. */
    record Truth(String src, int sport, String dst, int dport, String dir, long bytes, String sha256) {}

    private final SplittableRandom random;
    private final PcapWriter out;
    private final byte[] frame = new byte[14 + 20 + 20 + MSS];
    private long time = 1_600_000_000_000_000_000L;
    private final double reorder;
    private final double duplicate;
    /** Server segments carry a wrong TCP checksum, as captured on a host with checksum offload. */
    boolean offloadedServer;

    private SyntheticCapture(PcapWriter out, long seed, double reorder, double duplicate) {
        this.out = out;
        this.random = new SplittableRandom(seed);
        this.reorder = reorder;
        this.duplicate = duplicate;
    }

    public static void main(String[] args) throws IOException {
        Path p = Path.of(args[0]);
        int connections = Integer.parseInt(args[1]);
        int response = Integer.parseInt(args[2]);
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(p), 1 << 20)) {
            List<Truth> t = write(os, connections, 8, response, 1, 0, 0);
            System.out.println(t.size() + " directions written to " + p + " (" + Files.size(p) + " bytes)");
        }
    }

    static List<Truth> write(OutputStream os, int connections, int concurrent, int responseBytes, long seed, double reorder,
            double duplicate) throws IOException {
        return write(os, connections, concurrent, responseBytes, seed, reorder, duplicate, false);
    }

    static List<Truth> write(OutputStream os, int connections, int concurrent, int responseBytes, long seed, double reorder,
            double duplicate, boolean offloadedServer) throws IOException {
        try (PcapWriter w = PcapWriter.open(os, 1, 65535, true)) {
            SyntheticCapture c = new SyntheticCapture(w, seed, reorder, duplicate);
            c.offloadedServer = offloadedServer;
            return c.run(connections, concurrent, responseBytes);
        }
    }

    private final class Conn {
        final int client = 0x0A000000 | random.nextInt(1, 1 << 16);
        final int server = 0x0A010000 | random.nextInt(1, 1 << 16);
        final int cport = random.nextInt(1024, 65536);
        final int sport = 80;
        final long cIsn = random.nextLong(1L << 32);
        final long sIsn = random.nextLong(1L << 32);
        final byte[] request = new byte[100];
        final byte[] response;
        int sent = -1; // -1: handshake pending
        int[] order;

        Conn(int responseBytes) {
            random.nextBytes(request);
            response = new byte[responseBytes];
            random.nextBytes(response);
        }
    }

    private List<Truth> run(int connections, int concurrent, int responseBytes) throws IOException {
        List<Truth> truth = new ArrayList<>();
        List<Conn> live = new ArrayList<>();
        int started = 0;
        while (started < connections || !live.isEmpty()) {
            while (live.size() < concurrent && started < connections) {
                Conn c = new Conn(responseBytes);
                live.add(c);
                started++;
                send(c, true, c.cIsn, 0, 0x02, null, 0, 0);
                send(c, false, c.sIsn, c.cIsn + 1, 0x12, null, 0, 0);
                send(c, true, c.cIsn + 1, c.sIsn + 1, 0x10, null, 0, 0);
                send(c, true, c.cIsn + 1, c.sIsn + 1, 0x18, c.request, 0, c.request.length);
                c.sent = 0;
            }
            for (int i = 0; i < live.size(); i++) {
                Conn c = live.get(i);
                int n = Math.min(MSS, c.response.length - c.sent);
                if (n > 0) {
                    int off = c.sent;
                    int n2 = Math.min(MSS, c.response.length - off - n);
                    if (n2 > 0 && random.nextDouble() < reorder) {
                        sendData(c, off + n, n2);
                        sendData(c, off, n);
                        c.sent += n + n2;
                    } else {
                        sendData(c, off, n);
                        c.sent += n;
                    }
                    if (random.nextDouble() < duplicate) {
                        sendData(c, off, n);
                    }
                    send(c, true, c.cIsn + 101, c.sIsn + 1 + c.sent, 0x10, null, 0, 0);
                } else {
                    send(c, false, c.sIsn + 1 + c.response.length, c.cIsn + 101, 0x11, null, 0, 0);
                    send(c, true, c.cIsn + 101, c.sIsn + 2 + c.response.length, 0x11, null, 0, 0);
                    send(c, false, c.sIsn + 2 + c.response.length, c.cIsn + 102, 0x10, null, 0, 0);
                    truth.add(new Truth(ip(c.client), c.cport, ip(c.server), c.sport, "c2s", c.request.length, sha(c.request)));
                    truth.add(new Truth(ip(c.server), c.sport, ip(c.client), c.cport, "s2c", c.response.length, sha(c.response)));
                    live.remove(i--);
                }
            }
        }
        return truth;
    }

    private void sendData(Conn c, int off, int n) throws IOException {
        send(c, false, c.sIsn + 1 + off, c.cIsn + 101, 0x10, c.response, off, n);
    }

    private void send(Conn c, boolean fromClient, long seq, long ack, int flags, byte[] data, int off, int len) throws IOException {
        byte[] f = frame;
        java.util.Arrays.fill(f, 0, 54, (byte) 0);
        f[12] = 0x08; // EtherType IPv4
        int ip = 14;
        int total = 20 + 20 + len;
        f[ip] = 0x45;
        be16(f, ip + 2, total);
        f[ip + 8] = 64;
        f[ip + 9] = 6;
        be32(f, ip + 12, fromClient ? c.client : c.server);
        be32(f, ip + 16, fromClient ? c.server : c.client);
        be16(f, ip + 10, ~sum(f, ip, 20, 0) & 0xFFFF);
        int t = ip + 20;
        be16(f, t, fromClient ? c.cport : c.sport);
        be16(f, t + 2, fromClient ? c.sport : c.cport);
        be32(f, t + 4, (int) seq);
        be32(f, t + 8, (int) ack);
        f[t + 12] = 0x50;
        f[t + 13] = (byte) flags;
        be16(f, t + 14, 65535);
        if (len > 0) {
            System.arraycopy(data, off, f, t + 20, len);
        }
        long pseudo = ((fromClient ? c.client : c.server) >>> 16) + ((fromClient ? c.client : c.server) & 0xFFFF)
                + ((fromClient ? c.server : c.client) >>> 16) + ((fromClient ? c.server : c.client) & 0xFFFF) + 6 + 20 + len;
        be16(f, t + 16, offloadedServer && !fromClient ? 0x1234 : ~sum(f, t, 20 + len, pseudo) & 0xFFFF);
        out.writePacket(time, java.lang.foreign.MemorySegment.ofArray(f), 0, 14 + total, 14 + total);
        time += 10_000;
    }

    private static int sum(byte[] b, int off, int len, long start) {
        long s = start;
        int i = 0;
        for (; i + 1 < len; i += 2) {
            s += ((b[off + i] & 0xFF) << 8) | (b[off + i + 1] & 0xFF);
        }
        if (i < len) {
            s += (b[off + i] & 0xFF) << 8;
        }
        while ((s >>> 16) != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) s;
    }

    private static void be16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    private static void be32(byte[] b, int off, int v) {
        be16(b, off, v >>> 16);
        be16(b, off + 2, v);
    }

    private static String ip(int a) {
        return (a >>> 24) + "." + ((a >>> 16) & 0xFF) + "." + ((a >>> 8) & 0xFF) + "." + (a & 0xFF);
    }

    static String sha(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
