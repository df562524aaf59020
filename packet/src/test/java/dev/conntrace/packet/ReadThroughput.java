package dev.conntrace.packet;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Measures read + decode throughput on a generated capture (not a test: run by hand).
 *
 * <pre>java -cp target/classes:target/test-classes:../sys/target/classes dev.conntrace.packet.ReadThroughput /tmp/big.pcap 1024</pre>
 * writes a capture of about N MiB of Ethernet/IPv4/TCP packets (a mix of full-size and small
 * segments) if the file does not exist, then reads and decodes it several times.
 */
public final class ReadThroughput {
    private ReadThroughput() {}

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args.length > 0 ? args[0] : "/tmp/conntrace-throughput.pcap");
        long mib = args.length > 1 ? Long.parseLong(args[1]) : 1024;
        if (!Files.exists(file)) {
            generate(file, mib << 20);
        }
        long size = Files.size(file);
        for (int round = 0; round < 6; round++) {
            long t0 = System.nanoTime();
            long c0 = cpuNanos();
            long packets = 0;
            long payload = 0;
            DecodedPacket d = new DecodedPacket();
            try (PacketSource src = CaptureFile.open(file)) {
                boolean decode = !Boolean.getBoolean("walkOnly");
                while (src.next()) {
                    if (decode) PacketDecoder.decode(src.linkType(), src.data(), src.dataOffset(), src.captureLength(),
                            src.originalLength(), d);
                    payload += d.payloadLength();
                    packets++;
                }
            }
            long ns = System.nanoTime() - t0;
            long cpu = cpuNanos() - c0;
            System.out.printf("round %d: %d packets, %.1f MiB: wall %.3f s = %.2f GB/s %.1f Mpps;"
                    + " thread CPU %.3f s = %.2f GB/s %.1f Mpps (payload %d)%n",
                    round, packets, size / 1048576.0, ns / 1e9, size / (double) ns, packets * 1e3 / ns,
                    cpu / 1e9, size / (double) cpu, packets * 1e3 / cpu, payload);
        }
    }

    /** This thread's CPU time (reached by reflection: the module does not read java.management). */
    private static long cpuNanos() {
        try {
            Object mx = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean")
                    .invoke(null);
            return (long) Class.forName("java.lang.management.ThreadMXBean").getMethod("getCurrentThreadCpuTime")
                    .invoke(mx);
        } catch (ReflectiveOperationException e) {
            return System.nanoTime();
        }
    }

    static void generate(Path file, long bytes) throws IOException {
        byte[] big = Frames.ethernet(0x0800, Frames.ipv4(Frames.SRC4, Frames.DST4, 6,
                Frames.tcpSegment(new byte[1448 - 20])));
        byte[] small = Frames.ethernet(0x0800, Frames.ipv4(Frames.DST4, Frames.SRC4, 6,
                Frames.tcpSegment(new byte[0])));
        MemorySegment b = MemorySegment.ofArray(big);
        MemorySegment s = MemorySegment.ofArray(small);
        long written = 24;
        long ts = 1_700_000_000_000_000_000L;
        try (PcapWriter w = PcapWriter.open(file, LinkType.ETHERNET, 65535)) {
            for (long i = 0; written < bytes; i++) {
                boolean isBig = i % 3 != 2; // two data segments, then an ACK
                MemorySegment p = isBig ? b : s;
                int len = (int) p.byteSize();
                w.writePacket(ts + i * 1000, p, 0, len, len);
                written += 16 + len;
            }
        }
    }
}
