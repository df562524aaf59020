package dev.conntrace.bench;

import dev.conntrace.reassembly.Assembler;
import dev.conntrace.reassembly.AssemblerConfig;
import dev.conntrace.reassembly.ChecksumStatus;
import dev.conntrace.reassembly.Connection;
import dev.conntrace.reassembly.ScatterGather;
import dev.conntrace.reassembly.Stream;
import dev.conntrace.reassembly.StreamPool;
import dev.conntrace.reassembly.SummarizingStreamFactory;
import dev.conntrace.reassembly.TcpFlags;
import dev.conntrace.reassembly.TcpSegment;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The in-order path of reassembly, per segment: {@value #SEGMENTS} in-order 1448-byte segments of a few
 * interleaved connections (client to server, the server ACKing every second one) per invocation, from a
 * native segment as a mapped capture gives them. {@code deliver}: the assembler and a stream that only
 * looks at the delivered view; {@code hash}: through {@link SummarizingStreamFactory} hashing inline (what
 * {@code conntrace streams} does per byte, on one thread). Score and {@code gc.alloc.rate.norm} are per
 * segment ({@code -prof gc}).
 *
 * <pre>
 * ./mvnw -B -q -pl bench -am package -DskipTests
 * java --enable-native-access=ALL-UNNAMED -jar bench/target/benchmarks.jar InOrderReassembly -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class InOrderReassemblyBenchmark {
    static final int SEGMENTS = 1024;
    static final int CONNECTIONS = 8;
    static final int MSS = 1448;

    private Arena arena;
    private MemorySegment payload;
    private MemorySegment empty;
    private final TcpSegment seg = new TcpSegment();
    private Assembler deliver;
    private Assembler hash;
    private SummarizingStreamFactory summaries;
    private final long[] clientSeq = new long[CONNECTIONS];
    private final long[] serverSeq = new long[CONNECTIONS];
    private long time = 1_000_000_000L;
    private long index;
    private Blackhole sink;

    @Setup(Level.Trial)
    public void setUp(Blackhole bh) {
        sink = bh;
        arena = Arena.ofShared();
        payload = arena.allocate(MSS * 64L);
        for (long i = 0; i < payload.byteSize(); i++) {
            payload.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) (i * 31));
        }
        empty = arena.allocate(1);
        deliver = new Assembler(new StreamPool((Connection c, TcpSegment first) -> new Stream() {
            @Override
            public void reassembled(ScatterGather data) {
                sink.consume(data.length());
            }

            @Override
            public void completed(Connection connection) {}
        }, AssemblerConfig.defaults()));
        summaries = new SummarizingStreamFactory(s -> sink.consume(s), null, 0);
        hash = new Assembler(new StreamPool(summaries, AssemblerConfig.defaults()));
        for (Assembler a : new Assembler[] {deliver, hash}) {
            for (int c = 0; c < CONNECTIONS; c++) {
                clientSeq[c] = 1000L * c;
                serverSeq[c] = 7_000_000L * c;
                send(a, c, true, TcpFlags.SYN, 0, 0);
                send(a, c, false, TcpFlags.SYN | TcpFlags.ACK, 0, 0);
                send(a, c, true, TcpFlags.ACK, 0, 0);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        deliver.flushAll();
        hash.flushAll();
        summaries.close();
        arena.close();
    }

    private void send(Assembler a, int c, boolean fromClient, int flags, int length, long payloadOffset) {
        long seq = fromClient ? clientSeq[c] : serverSeq[c];
        long ack = fromClient ? serverSeq[c] : clientSeq[c];
        seg.capture(time, index++)
                .endpoints(false, 0, fromClient ? 0x0A000001L + c : 0x0A000002L, fromClient ? 40000 + c : 443, 0,
                        fromClient ? 0x0A000002L : 0x0A000001L + c, fromClient ? 443 : 40000 + c)
                .header(seq & 0xFFFF_FFFFL, ack & 0xFFFF_FFFFL, flags, 65535)
                .payload(length == 0 ? empty : payload, payloadOffset, length, 0)
                .checksum(ChecksumStatus.GOOD);
        a.assemble(seg);
        time += 1000;
        long advance = length + ((flags & (TcpFlags.SYN | TcpFlags.FIN)) != 0 ? 1 : 0);
        if (fromClient) {
            clientSeq[c] += advance;
        } else {
            serverSeq[c] += advance;
        }
    }

    private void run(Assembler a) {
        for (int i = 0; i < SEGMENTS; i++) {
            int c = i % CONNECTIONS;
            send(a, c, true, TcpFlags.ACK | TcpFlags.PSH, MSS, (long) (i & 63) * MSS);
            if ((i & 1) == 1) {
                send(a, c, false, TcpFlags.ACK, 0, 0);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(SEGMENTS)
    public void deliver() {
        run(deliver);
    }

    @Benchmark
    @OperationsPerInvocation(SEGMENTS)
    public void hash() {
        run(hash);
    }
}
