package dev.conntrace.bench;

import dev.conntrace.packet.CaptureFile;
import dev.conntrace.packet.DecodedPacket;
import dev.conntrace.packet.LinkType;
import dev.conntrace.packet.PacketDecoder;
import dev.conntrace.packet.PacketSource;
import dev.conntrace.packet.PcapWriter;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Reading and decoding a pcap: {@code decode} is one Ethernet/IPv4/TCP frame through
 * {@link PacketDecoder} (per packet); {@code readAndDecode} maps a generated capture file and
 * walks and decodes every packet (per capture: divide the file size by the score for bytes/s).
 * The capture mixes two full-size TCP segments with one bare ACK, as a bulk transfer does.
 *
 * <pre>
 * ./mvnw -B -q -pl bench -am package -DskipTests
 * java --enable-native-access=ALL-UNNAMED -jar bench/target/benchmarks.jar PacketRead -f 1 -wi 3 -i 5 -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PacketReadBenchmark {
    /** Size of the generated capture in MiB. */
    @Param("256")
    public int captureMiB;

    private final DecodedPacket decoded = new DecodedPacket();
    private MemorySegment frame;
    private Path capture;
    private long captureBytes;

    /** An Ethernet/IPv4/TCP frame with MSS, SACK-permitted, timestamps and window-scale options. */
    static byte[] tcpFrame(int payload) {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + 40 + payload);
        b.put(new byte[12]).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + 40 + payload)).putShort((short) 1)
                .putShort((short) 0x4000).put((byte) 64).put((byte) 6).putShort((short) 0)
                .putInt(0x0A000001).putInt(0x0A000002);
        b.putShort((short) 40000).putShort((short) 443).putInt(1_000_000).putInt(2_000_000)
                .put((byte) (10 << 4)).put((byte) 0x18).putShort((short) 512).putInt(0);
        b.put(new byte[] {2, 4, 5, (byte) 0xB4, 4, 2, 8, 10, 0, 0, 0, 7, 0, 0, 0, 9, 1, 3, 3, 7});
        return b.array();
    }

    @Setup
    public void setUp() throws IOException {
        frame = MemorySegment.ofArray(tcpFrame(1408));
        capture = Files.createTempFile("conntrace-bench", ".pcap");
        MemorySegment big = MemorySegment.ofArray(tcpFrame(1408));
        MemorySegment ack = MemorySegment.ofArray(tcpFrame(0));
        long limit = (long) captureMiB << 20;
        long written = 24;
        try (PcapWriter w = PcapWriter.open(capture, LinkType.ETHERNET, 65535)) {
            for (long i = 0; written < limit; i++) {
                MemorySegment p = i % 3 == 2 ? ack : big;
                int len = (int) p.byteSize();
                w.writePacket(1_700_000_000_000_000_000L + i * 1000, p, 0, len, len);
                written += 16 + len;
            }
        }
        captureBytes = Files.size(capture);
    }

    @TearDown
    public void tearDown() throws IOException {
        Files.deleteIfExists(capture);
        System.out.printf("%n(capture: %d bytes)%n", captureBytes);
    }

    @Benchmark
    @OperationsPerInvocation(1)
    public boolean decode() {
        return PacketDecoder.decode(LinkType.ETHERNET, frame, 0, (int) frame.byteSize(), (int) frame.byteSize(),
                decoded) && decoded.isTcp();
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long readAndDecode(Blackhole bh) throws IOException {
        long payload = 0;
        try (PacketSource src = CaptureFile.open(capture)) {
            while (src.next()) {
                PacketDecoder.decode(src.linkType(), src.data(), src.dataOffset(), src.captureLength(),
                        src.originalLength(), decoded);
                payload += decoded.payloadLength();
            }
        }
        bh.consume(decoded);
        return payload;
    }
}
