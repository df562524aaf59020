package dev.conntrace.bench;

import dev.conntrace.netlink.AttributeCursor;
import dev.conntrace.netlink.DecodeException;
import dev.conntrace.netlink.MessageBuilder;
import dev.conntrace.netlink.MessageCursor;
import dev.conntrace.netlink.NetlinkMessage;
import dev.conntrace.netlink.netfilter.Nfgenmsg;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * Decoding one ctnetlink flow message (36 attributes, three nesting levels) with the attribute cursor:
 * every leaf value read by its size (u8, be16, be32, be64) and summed into a blackhole. Reported per
 * attribute. The hot path must not allocate: check {@code gc.alloc.rate.norm} with {@code -prof gc}.
 *
 * <pre>
 * ./mvnw -B -q -pl bench -am package -DskipTests
 * java --enable-native-access=ALL-UNNAMED -jar bench/target/benchmarks.jar AttributeDecode -f 1 -wi 3 -i 5 -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class AttributeDecodeBenchmark {
    private Arena arena;
    private MemorySegment message;
    private int length;
    private final AttributeCursor cursor = new AttributeCursor();
    private final MessageCursor messages = new MessageCursor();

    @Setup
    public void setUp() throws DecodeException {
        arena = Arena.ofShared();
        MessageBuilder builder = new MessageBuilder(arena.allocate(4096, 8));
        length = CtnetlinkFlowMessage.write(builder);
        message = arena.allocate(length, 8);
        MemorySegment.copy(builder.buffer(), 0, message, 0, length);
        int counted = count(cursor.reset(message, 20, length - 20));
        if (counted != CtnetlinkFlowMessage.ATTRIBUTES) {
            throw new IllegalStateException("message has " + counted + " attributes, expected " + CtnetlinkFlowMessage.ATTRIBUTES);
        }
    }

    @TearDown
    public void tearDown() {
        arena.close();
    }

    /** The attributes of the flow message, walked from a bare attribute cursor. */
    @Benchmark
    @OperationsPerInvocation(CtnetlinkFlowMessage.ATTRIBUTES)
    public void attributes(Blackhole bh) throws DecodeException {
        bh.consume(sum(cursor.reset(message, 20, length - 20)));
    }

    /** The same, framed: message cursor, header fields, nfgenmsg, then the attributes. */
    @Benchmark
    @OperationsPerInvocation(CtnetlinkFlowMessage.ATTRIBUTES)
    public void message(Blackhole bh) throws DecodeException {
        messages.reset(message, 0, length);
        long sum = 0;
        while (messages.next()) {
            NetlinkMessage m = messages.message();
            sum += m.type() + m.sequence() + Nfgenmsg.family(m);
            sum += sum(m.attributes(cursor, Nfgenmsg.SIZE));
        }
        bh.consume(sum);
    }

    /**
     * Baseline: the same walk as raw unchecked-by-us segment reads, the way a C loop would do it
     * (no truncated/corrupt distinction, no depth bound, no size checks on values).
     */
    @Benchmark
    @OperationsPerInvocation(CtnetlinkFlowMessage.ATTRIBUTES)
    public void rawBaseline(Blackhole bh) {
        bh.consume(rawSum(message, 20, length));
    }

    private static final java.lang.foreign.ValueLayout.OfShort U16 = java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final java.lang.foreign.ValueLayout.OfShort BE16 = U16.withOrder(java.nio.ByteOrder.BIG_ENDIAN);
    private static final java.lang.foreign.ValueLayout.OfInt BE32 =
            java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);
    private static final java.lang.foreign.ValueLayout.OfLong BE64 =
            java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);

    private static long rawSum(MemorySegment s, long at, long end) {
        long sum = 0;
        while (at + 4 <= end) {
            int len = s.get(U16, at) & 0xFFFF;
            int type = s.get(U16, at + 2) & 0xFFFF;
            if (len < 4) {
                break;
            }
            sum += type & 0x3FFF;
            if ((type & 0x8000) != 0) {
                sum += rawSum(s, at + 4, at + len);
            } else {
                sum += switch (len - 4) {
                    case 1 -> s.get(java.lang.foreign.ValueLayout.JAVA_BYTE, at + 4) & 0xFF;
                    case 2 -> s.get(BE16, at + 4) & 0xFFFF;
                    case 4 -> s.get(BE32, at + 4);
                    case 8 -> s.get(BE64, at + 4);
                    default -> len - 4;
                };
            }
            at += (len + 3) & ~3;
        }
        return sum;
    }

    private static long sum(AttributeCursor c) throws DecodeException {
        long sum = 0;
        while (c.next()) {
            sum += c.type();
            if (c.isNested()) {
                sum += sum(c.nested());
                continue;
            }
            sum += switch (c.length()) {
                case 1 -> c.u8();
                case 2 -> c.be16();
                case 4 -> c.be32();
                case 8 -> c.be64();
                default -> c.length();
            };
        }
        return sum;
    }

    private static int count(AttributeCursor c) throws DecodeException {
        int n = 0;
        while (c.next()) {
            n++;
            if (c.isNested()) {
                n += count(c.nested());
            }
        }
        return n;
    }
}
