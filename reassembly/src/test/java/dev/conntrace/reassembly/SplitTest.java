package dev.conntrace.reassembly;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The same bytes come out however the sender split them into segments and in whatever order they arrive. */
class SplitTest {
    private static final String TEXT = "The quick brown fox jumps over the lazy dog";
    private static final long ISN = 0xFFFF_FFF0L; // the stream crosses the 2^32 wrap

    private static String run(List<int[]> segments, boolean flushBetween) {
        Wire w = new Wire().handshake(ISN, 7);
        for (int[] seg : segments) {
            w.c(Seq.add(ISN, 1 + seg[0]), TcpFlags.ACK, TEXT.substring(seg[0], seg[1]));
            if (flushBetween) {
                w.assembler.flushOlderThan(Long.MIN_VALUE, Long.MIN_VALUE);
            }
        }
        w.c(Seq.add(ISN, 1 + TEXT.length()), TcpFlags.FIN | TcpFlags.ACK, "");
        StreamHalf h = w.recorder.connections.getFirst().clientToServer();
        assertThat(h.closed()).isTrue();
        assertThat(h.bytes() + h.missing()).isEqualTo(h.span()).isEqualTo(TEXT.length());
        assertThat(w.assembler.pool().bufferedBytes()).isZero();
        return Wire.text(w.recorder.c2s(0));
    }

    private static List<int[]> cut(int... points) {
        List<int[]> out = new ArrayList<>();
        int prev = 0;
        for (int p : points) {
            out.add(new int[] {prev, p});
            prev = p;
        }
        out.add(new int[] {prev, TEXT.length()});
        return out;
    }

    @Test
    void everySingleSplitInOrderAndReversed() {
        for (int k = 1; k < TEXT.length(); k++) {
            List<int[]> segs = cut(k);
            assertThat(run(segs, false)).isEqualTo(TEXT);
            Collections.reverse(segs);
            assertThat(run(segs, true)).isEqualTo(TEXT);
        }
    }

    @Test
    void everyDoubleSplitInEveryOrder() {
        int[][] orders = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
        for (int i = 1; i < TEXT.length(); i++) {
            for (int j = i + 1; j < TEXT.length(); j++) {
                List<int[]> segs = cut(i, j);
                for (int[] order : orders) {
                    List<int[]> shuffled = List.of(segs.get(order[0]), segs.get(order[1]), segs.get(order[2]));
                    assertThat(run(shuffled, false)).isEqualTo(TEXT);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void oneByteAtATimeForwardAndBackward(boolean backward) {
        List<int[]> segs = new ArrayList<>();
        for (int i = 0; i < TEXT.length(); i++) {
            segs.add(new int[] {i, i + 1});
        }
        if (backward) {
            Collections.reverse(segs);
        }
        assertThat(run(segs, backward)).isEqualTo(TEXT);
    }

    @Test
    void overlappingResendsOfEveryWindowChangeNothing() {
        for (int k = 1; k < TEXT.length(); k++) {
            List<int[]> segs = new ArrayList<>(cut(k));
            segs.add(1, new int[] {k / 2, Math.min(TEXT.length(), k + 3)});
            segs.add(new int[] {0, TEXT.length()});
            assertThat(run(segs, false)).isEqualTo(TEXT);
        }
    }
}
