package dev.conntrace.bench;

import dev.conntrace.conntrack.DecodeCounters;
import dev.conntrace.conntrack.Flow;
import dev.conntrace.conntrack.text.ConntrackLineBuffer;
import dev.conntrace.conntrack.text.ConntrackText;
import dev.conntrace.conntrack.wire.FlowDecoder;
import dev.conntrace.netlink.DecodeException;
import dev.conntrace.netlink.MessageBuilder;
import dev.conntrace.netlink.MessageCursor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decoding one real-shaped ctnetlink flow message ({@link CtnetlinkFlowMessage}: TCP with protoinfo,
 * counters, timestamp) into a {@link Flow}, and formatting that flow as the {@code conntrack -L -o
 * extended} line. Reported per flow; {@code -prof gc} gives the bytes allocated per decoded flow
 * ({@code gc.alloc.rate.norm}).
 *
 * <pre>
 * ./mvnw -B -q -pl bench -am package -DskipTests
 * java --enable-native-access=ALL-UNNAMED -jar bench/target/benchmarks.jar FlowDecode -f 1 -wi 3 -i 5 -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class FlowDecodeBenchmark {
    private Arena arena;
    private MemorySegment message;
    private int length;
    private final MessageCursor messages = new MessageCursor();
    private final FlowDecoder decoder = new FlowDecoder(new DecodeCounters());
    private final ConntrackLineBuffer lines = new ConntrackLineBuffer(ConntrackText.Options.EXTENDED, 1 << 16);
    private final StringBuilder text = new StringBuilder(512);
    private Flow flow;

    @Setup
    public void setUp() throws DecodeException {
        arena = Arena.ofShared();
        MessageBuilder builder = new MessageBuilder(arena.allocate(4096, 8));
        length = CtnetlinkFlowMessage.write(builder);
        message = arena.allocate(length, 8);
        MemorySegment.copy(builder.buffer(), 0, message, 0, length);
        flow = decode();
        if (flow == null || flow.countersReply() == null || flow.timestamps() == null) {
            throw new IllegalStateException("the message did not decode into a full flow: " + flow);
        }
    }

    @TearDown
    public void tearDown() {
        arena.close();
    }

    /** Message framing and the whole flow decoded into a new {@link Flow}. */
    @Benchmark
    public Flow decode() throws DecodeException {
        messages.reset(message, 0, length);
        messages.next();
        return decoder.decode(messages.message());
    }

    /** A decoded flow formatted as bytes ({@link ConntrackLineBuffer}), the {@code ct list -o conntrack} path. */
    @Benchmark
    public int formatBytes() {
        lines.clear();
        lines.appendLine(flow, null, 1_763_900_100L);
        return lines.length();
    }

    /** The same line through {@link ConntrackText} into a StringBuilder, for scale. */
    @Benchmark
    public int formatText() {
        text.setLength(0);
        ConntrackText.append(text, flow, null, ConntrackText.Options.EXTENDED, 1_763_900_100L);
        return text.length();
    }
}
