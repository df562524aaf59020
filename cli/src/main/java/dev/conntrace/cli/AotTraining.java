package dev.conntrace.cli;

import dev.conntrace.sys.PrivateNamespace;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The run the launcher trains its ahead-of-time cache on ({@code -XX:AOTCacheOutput}): in one JVM,
 * each short command once, output discarded, so the cache holds the classes (and profiles) of every
 * command rather than of one. Conntrack commands run in a throw-away namespace holding a few flows
 * (2000 flows) when the user is root, and are skipped otherwise; streams read a tiny generated capture. Every
 * step's failure is ignored: training must never stop the command the user asked for, and a step
 * that fails still loads most of its classes. Bounded: a handful of commands on tiny inputs.
 *
 * <p>Not a user command (no entry in help); {@code ./conntrace} runs it as a main class.
 */
public final class AotTraining {
    private AotTraining() {}

    /** Flows made for the conntrack commands to list: a table's worth, still well under a second. */
    private static final int FLOWS = 2000;

    /** Runs the training commands. */
    public static void main(String[] args) throws IOException {
        StdoutWriter out = StdoutWriter.open(); // the launcher sends it to /dev/null
        PrintWriter err = new PrintWriter(OutputStream.nullOutputStream());
        run(out, err, "--version");
        run(out, err, "--help");
        run(out, err, "ct", "--help");
        run(out, err, "sockets");
        run(out, err, "sockets", "-a", "-o", "json");
        run(out, err, "sockets", "-l");
        conntrack(out, err);
        Path dir = Files.createTempDirectory("conntrace-aot");
        try {
            Path pcap = dir.resolve("tiny.pcap");
            Files.write(pcap, TinyCapture.bytes());
            run(out, err, "streams", pcap.toString());
            run(out, err, "streams", "-o", "json", pcap.toString());
        } finally {
            Files.deleteIfExists(dir.resolve("tiny.pcap"));
            Files.deleteIfExists(dir);
        }
        out.flush();
        System.exit(0); // no lingering non-daemon threads
    }

    private static void conntrack(StdoutWriter out, PrintWriter err) {
        if (!"root".equals(System.getProperty("user.name"))) {
            return;
        }
        try (PrivateNamespace ns = PrivateNamespace.create()) {
            ns.exec("nft", "add table inet aot; add chain inet aot c { type filter hook output priority 0; };"
                    + " add rule inet aot c ct state new accept");
            ns.run(() -> {
                try (DatagramChannel udp = DatagramChannel.open()) {
                    ByteBuffer one = ByteBuffer.allocate(1);
                    for (int port = 40_000; port < 40_000 + FLOWS; port++) {
                        udp.send(one.clear(), new InetSocketAddress("127.0.0.1", port));
                    }
                }
            });
            for (int i = 0; i < 3; i++) { // enough rows for the decoder and printers to gather profiles
                run(out, err, "ct", "list", "--netns", ns.name(), "-o", "conntrack");
            }
            run(out, err, "ct", "-L", "--netns", ns.name(), "-o", "json");
            run(out, err, "ct", "list", "--netns", ns.name());
            run(out, err, "ct", "count", "--netns", ns.name());
            run(out, err, "ct", "stats", "--netns", ns.name());
            run(out, err, "ct", "get", "--netns", ns.name(), "-p", "udp", "-s", "127.0.0.1", "-d", "127.0.0.1",
                    "--sport", "1", "--dport", "1");
        } catch (IOException | RuntimeException ignored) {
            // not root enough, no ip or nft: the cache is trained on the other commands
        }
    }

    private static void run(StdoutWriter out, PrintWriter err, String... args) {
        long start = System.nanoTime();
        try {
            Main.commandLine(args).setOut(out).setErr(err).execute(args);
        } catch (RuntimeException ignored) {
            // a failed step still loaded its classes
        }
        out.flush();
        assert System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30);
    }

    /** One TCP connection over Ethernet and IPv4 with a request and a reply, as a classic pcap file. */
    static final class TinyCapture {
        private TinyCapture() {}

        private static final int CLIENT = 0x0a00_0001; // 10.0.0.1
        private static final int SERVER = 0x0a00_0002; // 10.0.0.2

        static byte[] bytes() {
            ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
            byte[] request = "GET / HTTP/1.0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            byte[] reply = "HTTP/1.0 200 OK\r\n\r\nhello".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            long c = 1000;
            long s = 5000;
            int t = 0;
            packet(b, t++, CLIENT, SERVER, 40000, 80, c, 0, 0x02, new byte[0]); // SYN
            packet(b, t++, SERVER, CLIENT, 80, 40000, s, c + 1, 0x12, new byte[0]); // SYN-ACK
            packet(b, t++, CLIENT, SERVER, 40000, 80, c + 1, s + 1, 0x10, new byte[0]);
            packet(b, t++, CLIENT, SERVER, 40000, 80, c + 1, s + 1, 0x18, request);
            packet(b, t++, SERVER, CLIENT, 80, 40000, s + 1, c + 1 + request.length, 0x18, reply);
            packet(b, t++, CLIENT, SERVER, 40000, 80, c + 1 + request.length, s + 1 + reply.length, 0x11, new byte[0]);
            packet(b, t++, SERVER, CLIENT, 80, 40000, s + 1 + reply.length, c + 2 + request.length, 0x11, new byte[0]);
            packet(b, t, CLIENT, SERVER, 40000, 80, c + 2 + request.length, s + 2 + reply.length, 0x10, new byte[0]);
            return java.util.Arrays.copyOf(b.array(), b.position());
        }

        private static void packet(ByteBuffer b, int second, int src, int dst, int sport, int dport, long seq, long ack,
                int flags, byte[] payload) {
            int length = 14 + 20 + 20 + payload.length;
            b.putInt(1_700_000_000 + second).putInt(0).putInt(length).putInt(length);
            ByteBuffer p = ByteBuffer.allocate(length); // network byte order
            p.put(new byte[] {2, 0, 0, 0, 0, (byte) (dst & 0xff), 2, 0, 0, 0, 0, (byte) (src & 0xff)});
            p.putShort((short) 0x0800);
            int ip = p.position();
            p.put((byte) 0x45).put((byte) 0).putShort((short) (length - 14)).putShort((short) 0).putShort((short) 0x4000)
                    .put((byte) 64).put((byte) 6).putShort((short) 0).putInt(src).putInt(dst);
            p.putShort(ip + 10, checksum(p.array(), ip, 20, 0));
            int tcp = p.position();
            p.putShort((short) sport).putShort((short) dport).putInt((int) seq).putInt((int) ack)
                    .put((byte) 0x50).put((byte) flags).putShort((short) 65535).putShort((short) 0).putShort((short) 0)
                    .put(payload);
            long pseudo = (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + 6 + 20 + payload.length;
            p.putShort(tcp + 16, checksum(p.array(), tcp, 20 + payload.length, pseudo));
            b.put(p.array());
        }

        /** The Internet checksum (RFC 1071) of {@code length} bytes from {@code offset}, plus {@code sum}. */
        private static short checksum(byte[] data, int offset, int length, long sum) {
            for (int i = 0; i < length; i += 2) {
                int hi = data[offset + i] & 0xff;
                int lo = i + 1 < length ? data[offset + i + 1] & 0xff : 0;
                sum += (hi << 8) | lo;
            }
            while ((sum >>> 16) != 0) {
                sum = (sum & 0xffff) + (sum >>> 16);
            }
            return (short) ~sum;
        }
    }
}
