package dev.conntrace.reassembly;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Arbitrary segment sequences on one 4-tuple: no exception but the declared ones, and after the end of
 * input every direction satisfies bytes + missing == span, every delivered byte is the byte its sender
 * put at that offset, and no buffer is left.
 */
class FuzzTest {
    /** What each side sends at each offset: a fixed function, so any misplaced byte shows. */
    static byte content(int side, long offset) {
        return (byte) (offset * 31 + side * 7 + (offset >>> 8));
    }

    /** Source of choices: Jazzer's data or a seeded generator. */
    interface Choices {
        int pick(int min, int max);

        boolean remaining();
    }

    @com.code_intelligence.jazzer.junit.FuzzTest(maxDuration = "20s")
    void fuzz(FuzzedDataProvider data) {
        check(new Choices() {
            @Override
            public int pick(int min, int max) {
                return data.consumeInt(min, max);
            }

            @Override
            public boolean remaining() {
                return data.remainingBytes() > 0;
            }
        });
    }

    static List<Long> seeds() {
        List<Long> s = new ArrayList<>();
        for (long i = 0; i < 200; i++) {
            s.add(i);
        }
        return s;
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void seeded(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] budget = {r.nextInt(1, 400)};
        check(new Choices() {
            @Override
            public int pick(int min, int max) {
                budget[0]--;
                return (int) r.nextLong(min, (long) max + 1);
            }

            @Override
            public boolean remaining() {
                return budget[0] > 0;
            }
        });
    }

    static void check(Choices c) {
        int page = 64 << c.pick(0, 5);
        long perConn = (long) page * c.pick(1, 64);
        AssemblerConfig cfg = AssemblerConfig.defaults().withPageSize(page)
                .withBufferCaps(perConn, perConn * c.pick(1, 4)).withRstGrace(c.pick(0, 3) * 1_000_000L);
        int keep = c.pick(-1, 40);
        Map<StreamHalf, byte[]> out = new IdentityHashMap<>();
        Map<StreamHalf, boolean[]> isData = new IdentityHashMap<>();
        List<Connection> conns = new ArrayList<>();
        StreamFactory f = (conn, first) -> {
            conns.add(conn);
            return new Stream() {
                @Override
                public void reassembled(ScatterGather sg) {
                    StreamHalf h = sg.half();
                    byte[] b = out.computeIfAbsent(h, x -> new byte[1 << 16]);
                    boolean[] d = isData.computeIfAbsent(h, x -> new boolean[1 << 16]);
                    long at = sg.streamOffset();
                    assertThat(at + sg.length() - sg.keptLength()).isLessThanOrEqualTo(h.span());
                    byte[] all = sg.fetch(sg.length());
                    for (int i = sg.keptLength(); i < all.length; i++) {
                        long off = at + i - sg.keptLength();
                        if (off < b.length) {
                            b[(int) off] = all[i];
                            d[(int) off] = true;
                        }
                    }
                    if (keep >= 0 && sg.length() > 0) {
                        try {
                            sg.keepFrom(Math.max(0, sg.length() - keep));
                        } catch (IllegalStateException tooMuch) {
                            // declared: keeping beyond the per-connection cap
                        }
                    }
                }

                @Override
                public void completed(Connection connection) {}
            };
        };
        Assembler a = new Assembler(new StreamPool(f, cfg));
        long isn0 = c.pick(0, 1) == 0 ? 0xFFFF_FF00L : c.pick(0, Integer.MAX_VALUE);
        long isn1 = c.pick(0, Integer.MAX_VALUE);
        TcpSegment s = new TcpSegment();
        byte[] buf = new byte[2048];
        long time = 0;
        int n = 0;
        while (c.remaining() && n++ < 400) {
            int side = c.pick(0, 1);
            long isn = side == 0 ? isn0 : isn1;
            int flags = c.pick(0, 0x3F);
            if (c.pick(0, 3) != 0) {
                flags &= ~(TcpFlags.SYN | TcpFlags.RST);
            }
            long off = c.pick(-20, 3000);
            int len = c.pick(0, 600);
            int miss = c.pick(0, 4) == 0 ? c.pick(0, 100) : 0;
            for (int i = 0; i < len; i++) {
                buf[i] = content(side, off + i);
            }
            long seq = (flags & TcpFlags.SYN) != 0 ? Seq.add(isn, off - 1) : Seq.add(isn, off);
            long ack = Seq.add(side == 0 ? isn1 : isn0, c.pick(-5, 3000));
            time += c.pick(0, 2_000_000);
            ChecksumStatus cs = ChecksumStatus.values()[c.pick(0, 2)];
            s.capture(time, n).endpoints(false, 0, side == 0 ? 1 : 2, side == 0 ? 1000 : 80, 0, side == 0 ? 2 : 1,
                    side == 0 ? 80 : 1000).header(seq, ack, flags, 1000).payload(MemorySegment.ofArray(buf), 0, len, miss)
                    .checksum(cs);
            a.assemble(s);
            if (c.pick(0, 20) == 0) {
                a.flushOlderThan(time - c.pick(0, 5_000_000), time - c.pick(0, 50_000_000));
            }
        }
        a.flushAll();
        assertThat(a.pool().size()).isZero();
        assertThat(a.pool().bufferedBytes()).isZero();
        for (Connection conn : conns) {
            assertThat(conn.completed()).isTrue();
            for (Direction dir : Direction.values()) {
                StreamHalf h = conn.half(dir);
                assertThat(h.closed()).isTrue();
                assertThat(h.bytes() + h.missing()).isEqualTo(h.span());
                assertThat(h.overlap()).isNotNegative();
                assertThat(h.lateBytes()).isNotNegative();
                byte[] b = out.get(h);
                boolean[] d = isData.get(h);
                if (b == null) {
                    assertThat(h.bytes()).isZero();
                    continue;
                }
                long dataBytes = 0;
                int side = h.srcPort() == 1000 ? 0 : 1;
                long isn = side == 0 ? isn0 : isn1;
                long shift = Seq.diff(h.base, isn); // stream offset 0 in the generator's offsets
                for (int i = 0; i < Math.min(h.span(), b.length); i++) {
                    if (d[i]) {
                        dataBytes++;
                        assertThat(b[i]).as("byte at stream offset %d of %s", i, h).isEqualTo(content(side, i + shift));
                    }
                }
                assertThat(dataBytes).isEqualTo(h.bytes());
            }
        }
    }
}
