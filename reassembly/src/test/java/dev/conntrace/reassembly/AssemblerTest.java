package dev.conntrace.reassembly;

import static dev.conntrace.reassembly.TcpFlags.ACK;
import static dev.conntrace.reassembly.TcpFlags.FIN;
import static dev.conntrace.reassembly.TcpFlags.PSH;
import static dev.conntrace.reassembly.TcpFlags.RST;
import static dev.conntrace.reassembly.TcpFlags.SYN;
import static dev.conntrace.reassembly.Wire.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AssemblerTest {
    private static final int A = ACK | PSH;

    @Test
    void inOrderDataIsDeliveredDirectlyAndClosesOnFins() {
        Wire w = new Wire().handshake(1000, 5000);
        w.c(1001, A, "GET / ").c(1007, A, "HTTP").s(5001, A, "200 OK");
        w.c(1011, FIN | ACK, "").s(5007, FIN | ACK, "");
        Recorder r = w.recorder;
        assertThat(text(r.c2s(0))).isEqualTo("GET / HTTP");
        assertThat(text(r.s2c(0))).isEqualTo("200 OK");
        Connection c = r.connections.getFirst();
        assertThat(r.completed).containsExactly(c);
        assertThat(r.closed.get(c.clientToServer())).isEqualTo(EndReason.FIN);
        assertThat(c.clientToServer().src().toString()).isEqualTo("10.0.0.1");
        assertThat(r.calls.getFirst().start()).isTrue();
        assertThat(r.calls.get(1).start()).isFalse();
        assertThat(w.assembler.stats().pagesAllocated()).isZero();
    }

    @Test
    void reorderedSegmentsWaitForTheGap() {
        Wire w = new Wire().handshake(1000, 5000);
        w.c(1011, A, "KLMNO").c(1006, A, "FGHIJ");
        assertThat(text(w.recorder.c2s(0))).isEmpty();
        assertThat(w.recorder.connections.getFirst().clientToServer().bufferedBytes()).isEqualTo(10);
        w.c(1001, A, "ABCDE");
        assertThat(text(w.recorder.c2s(0))).isEqualTo("ABCDEFGHIJKLMNO");
        assertThat(w.recorder.calls).hasSize(1);
        assertThat(w.recorder.calls.getFirst().skip()).isZero();
        assertThat(w.assembler.pool().bufferedBytes()).isZero();
    }

    @Test
    void retransmissionOfDeliveredBytesCountsAsOverlap() {
        Wire w = new Wire().handshake(1000, 5000);
        w.c(1001, A, "ABCDE").c(1001, A, "XXXXX").c(1004, A, "YYZZ");
        StreamHalf h = w.recorder.connections.getFirst().clientToServer();
        assertThat(text(w.recorder.c2s(0))).isEqualTo("ABCDEZZ");
        assertThat(h.overlap()).isEqualTo(7);
        assertThat(h.bytes()).isEqualTo(7);
    }

    @Test
    void firstCopyWinsWhenANewSegmentOverlapsSeveralBufferedOnes() {
        Wire w = new Wire().handshake(0, 5000);
        // offsets: buffered [4,6) "ef" and [8,10) "ij"; then [2,12) with other bytes; then [0,2)
        w.c(5, A, "ef").c(9, A, "ij").c(3, A, "CDEFGHIJKL").c(1, A, "ab");
        assertThat(text(w.recorder.c2s(0))).isEqualTo("abCDefGHijKL");
        assertThat(w.recorder.connections.getFirst().clientToServer().overlap()).isEqualTo(4);
    }

    @Test
    void inOrderSegmentOverlappingBufferedDataKeepsTheBufferedCopy() {
        Wire w = new Wire().handshake(0, 5000);
        w.c(4, A, "dd").c(1, A, "ABCDEF");
        assertThat(text(w.recorder.c2s(0))).isEqualTo("ABCddF");
    }

    @Test
    void sequenceNumbersWrapAround() {
        long isn = 0xFFFF_FFFAL;
        Wire w = new Wire().handshake(isn, 0xFFFF_FFFFL);
        w.c(Seq.add(isn, 1), A, "0123").c(Seq.add(isn, 9), A, "89").c(Seq.add(isn, 5), A, "4567");
        w.s(0, A, "server");
        assertThat(text(w.recorder.c2s(0))).isEqualTo("0123456789");
        assertThat(text(w.recorder.s2c(0))).isEqualTo("server");
    }

    @Test
    void perConnectionCapSkipsTheGapAndCountsIt() {
        AssemblerConfig cfg = AssemblerConfig.defaults().withPageSize(64).withBufferCaps(256, 1 << 20);
        Wire w = new Wire(cfg).handshake(0, 5000);
        String chunk = "x".repeat(64);
        // offset 0..63 never arrives; five 64-byte pieces after it exceed 256 bytes of pages.
        for (int i = 1; i <= 5; i++) {
            w.c(1 + 64L * i, A, chunk);
        }
        StreamHalf h = w.recorder.connections.getFirst().clientToServer();
        assertThat(h.missing()).isEqualTo(64);
        assertThat(h.bytes()).isEqualTo(5 * 64);
        assertThat(h.bytes() + h.missing()).isEqualTo(h.span());
        assertThat(w.recorder.calls.getFirst().skip()).isEqualTo(64);
        byte[] out = w.recorder.c2s(0);
        assertThat(out).hasSize(6 * 64);
        assertThat(text(out).substring(64)).isEqualTo(chunk.repeat(5));
        assertThat(w.assembler.pool().bufferedBytes()).isZero();
    }

    @Test
    void totalCapAlsoDegradesBySkipping() {
        AssemblerConfig cfg = AssemblerConfig.defaults().withPageSize(64).withBufferCaps(128, 128);
        Wire w = new Wire(cfg).handshake(0, 5000);
        w.c(101, A, "a".repeat(100));
        assertThat(w.assembler.pool().bufferedBytes()).isEqualTo(128);
        w.clientPort = 40001;
        w.handshake(0, 5000).c(101, A, "b".repeat(50)).c(201, A, "c".repeat(50));
        StreamHalf first = w.recorder.connections.getFirst().clientToServer();
        StreamHalf second = w.recorder.connections.get(1).clientToServer();
        assertThat(first.missing()).isZero();
        assertThat(second.missing()).isEqualTo(150);
        assertThat(text(w.recorder.data(second))).endsWith("b".repeat(50) + "\0".repeat(50) + "c".repeat(50));
        assertThat(w.assembler.pool().bufferedBytes()).isEqualTo(128);
        w.assembler.flushAll();
        assertThat(second.bytes() + second.missing()).isEqualTo(second.span()).isEqualTo(250);
        assertThat(w.assembler.pool().bufferedBytes()).isZero();
    }

    @Test
    void stopWaitingSkipsOldGapsAndCloseAgeTimesOut() {
        Wire w = new Wire().handshake(0, 5000);
        w.c(11, A, "late-part");
        long t = w.time;
        w.assembler.flushOlderThan(t - 10_000_000_000L, Long.MIN_VALUE);
        StreamHalf h = w.recorder.connections.getFirst().clientToServer();
        assertThat(h.bytes()).isZero();
        w.assembler.flushOlderThan(t, Long.MIN_VALUE);
        assertThat(h.missing()).isEqualTo(10);
        assertThat(text(w.recorder.c2s(0))).isEqualTo("\0".repeat(10) + "late-part");
        assertThat(w.recorder.completed).isEmpty();
        w.assembler.flushOlderThan(t, t);
        assertThat(w.recorder.closed.get(h)).isEqualTo(EndReason.TIMEOUT);
        assertThat(w.recorder.completed).hasSize(1);
        assertThat(w.assembler.pool().size()).isZero();
    }

    @Test
    void flushShrinksThePagePool() {
        AssemblerConfig cfg = AssemblerConfig.defaults().withPageSize(64);
        Wire w = new Wire(cfg).handshake(0, 5000);
        w.c(101, A, "z".repeat(64 * 20));
        w.c(1, A, "a".repeat(100));
        int idle = w.assembler.stats().pagesIdle();
        assertThat(idle).isEqualTo(20);
        w.assembler.flushOlderThan(Long.MIN_VALUE, Long.MIN_VALUE);
        assertThat(w.assembler.stats().pagesIdle()).isEqualTo(10);
    }

    @Test
    void keepFromRedeliversKeptBytesAtTheFront() {
        Wire w = new Wire().handshake(0, 5000);
        w.recorder.keepTail = 3;
        w.c(1, A, "abcdef").c(7, A, "gh").c(9, FIN | ACK, "");
        var calls = w.recorder.calls;
        assertThat(text(calls.get(0).data())).isEqualTo("abcdef");
        assertThat(text(calls.get(1).data())).isEqualTo("defgh");
        assertThat(calls.get(1).kept()).isEqualTo(3);
        assertThat(calls.get(1).offset()).isEqualTo(6);
        // closing hands the kept tail over one last time, marked as the end
        assertThat(text(calls.getLast().data())).isEqualTo("fgh");
        assertThat(calls.getLast().end()).isTrue();
        assertThat(text(w.recorder.c2s(0))).isEqualTo("abcdefgh");
        assertThat(w.assembler.pool().bufferedBytes()).isZero();
    }

    @Test
    void keepingMoreThanTheCapIsRefused() {
        AssemblerConfig cfg = AssemblerConfig.defaults().withPageSize(64).withBufferCaps(128, 1 << 20);
        Wire w = new Wire(cfg).handshake(0, 5000);
        w.recorder.keepTail = 1000;
        assertThatThrownBy(() -> w.c(1, A, "q".repeat(200))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("per-connection buffer cap");
    }

    @Test
    void rstEndsBothDirectionsAndDeliversBufferedData() {
        Wire w = new Wire().handshake(0, 5000);
        w.s(5001, A, "hello").c(5, A, "tail").c(1, RST | ACK, "");
        Recorder r = w.recorder;
        Connection c = r.connections.getFirst();
        assertThat(r.closed.get(c.clientToServer())).isEqualTo(EndReason.RST);
        assertThat(text(r.c2s(0))).isEqualTo("\0\0\0\0tail");
        // the server's direction stays open for data already in flight, then ends with the RST
        w.s(5006, A, "-inflight");
        assertThat(r.closed).doesNotContainKey(c.serverToClient());
        w.time += 2_000_000_000L;
        w.s(5015, A, "too late");
        assertThat(r.closed.get(c.serverToClient())).isEqualTo(EndReason.RST);
        assertThat(text(r.s2c(0))).isEqualTo("hello-inflight");
        assertThat(c.serverToClient().lateBytes()).isEqualTo(8);
        assertThat(r.completed).containsExactly(c);
    }

    @Test
    void rstFromBothSidesCompletesAtOnce() {
        Wire w = new Wire().handshake(0, 5000);
        w.c(1, RST, "").s(5001, RST | ACK, "");
        assertThat(w.recorder.completed).hasSize(1);
        assertThat(w.recorder.closed.values()).containsOnly(EndReason.RST);
    }

    @Test
    void rstWithSequenceFarFromTheStreamIsIgnored() {
        Wire w = new Wire().handshake(1000, 5000);
        w.c(1001, A, "abc").s(5000 + (1L << 30), RST | ACK, "").c(1004, A, "def");
        Connection c = w.recorder.connections.getFirst();
        assertThat(c.serverToClient().invalidRst()).isEqualTo(1);
        assertThat(w.recorder.closed).isEmpty();
        assertThat(text(w.recorder.c2s(0))).isEqualTo("abcdef");
    }

    @Test
    void rstBeforeSynAckMustAcknowledgeTheSyn() {
        Wire w = new Wire();
        w.c(1000, SYN, "");
        w.seg.capture(w.time, 9).endpoints(false, 0, Wire.SERVER, 80, 0, Wire.CLIENT, 40000).header(0, 1000, RST | ACK, 0)
                .payload(java.lang.foreign.MemorySegment.ofArray(new byte[0]), 0, 0, 0);
        w.assembler.assemble(w.seg);
        assertThat(w.recorder.closed).isEmpty();
        w.seg.header(0, 1001, RST | ACK, 0);
        w.assembler.assemble(w.seg);
        assertThat(w.recorder.closed.values()).containsExactly(EndReason.RST);
        w.assembler.flushAll();
        assertThat(w.recorder.closed).hasSize(2);
        assertThat(w.recorder.closed.values()).containsOnly(EndReason.RST);
    }

    @Test
    void badChecksumBytesFillAGapTheReceiverAcknowledged() {
        Wire w = new Wire().handshake(0, 5000);
        w.send(true, 1, A, Wire.bytes("offl"), 0, ChecksumStatus.BAD);
        w.send(true, 5, A, Wire.bytes("oad!"), 0, ChecksumStatus.GOOD);
        StreamHalf h = w.recorder.connections.getFirst().clientToServer();
        assertThat(h.bytes()).isZero();
        w.seg.capture(w.time, 99).endpoints(false, 0, Wire.SERVER, 80, 0, Wire.CLIENT, 40000).header(5001, 9, ACK, 0)
                .payload(java.lang.foreign.MemorySegment.ofArray(new byte[0]), 0, 0, 0).checksum(ChecksumStatus.GOOD);
        w.assembler.assemble(w.seg);
        assertThat(text(w.recorder.c2s(0))).isEqualTo("offload!");
        assertThat(h.badChecksumBytesUsed()).isEqualTo(4);
        assertThat(h.missing()).isZero();
        assertThat(w.assembler.pool().bufferedBytes()).isZero();
    }

    private static void serverAcks(Wire w, long ack) {
        w.seg.capture(w.time, w.index++).endpoints(false, 0, Wire.SERVER, 80, 0, Wire.CLIENT, 40000).header(5001, ack, ACK, 0)
                .payload(java.lang.foreign.MemorySegment.ofArray(new byte[0]), 0, 0, 0).checksum(ChecksumStatus.GOOD);
        w.assembler.assemble(w.seg);
    }

    @Test
    void aGapTheReceiverAcknowledgedIsGivenUpOnceTheSenderMovedFarEnough() {
        Wire w = new Wire().handshake(0, 5000);
        // bytes [1, 1001) never captured; then data from 1001 on, acknowledged by the server as it comes
        byte[] chunk = new byte[1000];
        java.util.Arrays.fill(chunk, (byte) 'x');
        long seq = 1001;
        StreamHalf h = null;
        while (seq - 1001 + chunk.length < Assembler.ACKED_GAP_PATIENCE) {
            w.send(true, seq, A, chunk, 0, ChecksumStatus.GOOD);
            seq += chunk.length;
            serverAcks(w, seq);
            h = w.recorder.connections.getFirst().clientToServer();
            assertThat(h.bytes()).as("still waiting at %d", seq).isZero();
        }
        w.send(true, seq, A, chunk, 0, ChecksumStatus.GOOD);
        seq += chunk.length;
        serverAcks(w, Seq.add(seq, -500)); // covers part of what is buffered: enough
        assertThat(h.missing()).isEqualTo(1000);
        assertThat(h.bytes()).isEqualTo(seq - 1001);
        assertThat(w.recorder.c2s(0)).hasSize((int) (seq - 1));
        assertThat(w.assembler.pool().bufferedBytes()).isZero();
        // a copy of the gap arriving now is late overlap, not data
        w.send(true, 1, A, new byte[1000], 0, ChecksumStatus.GOOD);
        assertThat(h.bytes()).isEqualTo(seq - 1001);
    }

    @Test
    void anAcknowledgementThatDoesNotPassTheGapOrIsTooEarlyKeepsWaiting() {
        Wire w = new Wire().handshake(0, 5000);
        w.c(11, A, "later");
        serverAcks(w, 11); // up to the gap only: the receiver lacks it too, a retransmission will come
        serverAcks(w, 16); // past it, but the sender has not moved on: a reordered copy may still come
        StreamHalf h = w.recorder.connections.getFirst().clientToServer();
        assertThat(h.missing()).isZero();
        w.c(1, A, "0123456789");
        assertThat(text(w.recorder.c2s(0))).isEqualTo("0123456789later");
    }

    @Test
    void anAcknowledgedFinEndsTheWaitForAGapBeforeIt() {
        Wire w = new Wire().handshake(0, 5000);
        w.c(11, A, "later").c(16, FIN | ACK, "");
        serverAcks(w, 17);
        Connection c = w.recorder.connections.getFirst();
        assertThat(text(w.recorder.c2s(0))).isEqualTo("\0\0\0\0\0\0\0\0\0\0later");
        assertThat(c.clientToServer().missing()).isEqualTo(10);
        assertThat(w.recorder.closed.get(c.clientToServer())).isEqualTo(EndReason.FIN);
    }

    @Test
    void badChecksumBytesAreUsedWhenTheGapIsClosedAtTheEnd() {
        Wire w = new Wire().handshake(0, 5000);
        w.send(true, 1, A, Wire.bytes("xx"), 0, ChecksumStatus.BAD);
        w.send(true, 5, A, Wire.bytes("yy"), 0, ChecksumStatus.GOOD);
        w.assembler.flushAll();
        StreamHalf h = w.recorder.connections.getFirst().clientToServer();
        assertThat(text(w.recorder.c2s(0))).isEqualTo("xx\0\0yy");
        assertThat(h.missing()).isEqualTo(2);
        assertThat(h.badChecksumBytesUsed()).isEqualTo(2);
    }

    @Test
    void lateAckAfterCompletionDoesNotResurrect() {
        Wire w = new Wire().handshake(0, 5000);
        w.c(1, FIN | ACK, "").s(5001, FIN | ACK, "").c(2, ACK, "").s(5002, A, "more");
        Recorder r = w.recorder;
        assertThat(r.connections).hasSize(1);
        Connection c = r.connections.getFirst();
        assertThat(c.clientToServer().latePackets()).isEqualTo(1);
        assertThat(c.serverToClient().lateBytes()).isEqualTo(4);
        assertThat(r.s2c(0)).isEmpty();
    }

    @Test
    void newSynOnAFinishedTupleStartsANewStream() {
        Wire w = new Wire().handshake(0, 5000);
        w.c(1, A, "one").c(4, FIN | ACK, "").s(5001, FIN | ACK, "");
        w.handshake(90000, 7000).c(90001, A, "two");
        w.assembler.flushAll();
        Recorder r = w.recorder;
        assertThat(r.connections).hasSize(2);
        assertThat(r.connections.get(1).index()).isEqualTo(1);
        assertThat(text(r.c2s(0))).isEqualTo("one");
        assertThat(text(r.c2s(1))).isEqualTo("two");
        assertThat(r.closed.get(r.connections.get(1).clientToServer())).isEqualTo(EndReason.EOF);
    }

    @Test
    void synWithNewIsnReusesAnOpenTuple() {
        Wire w = new Wire().handshake(0, 5000);
        w.c(1, A, "one").c(4, FIN | ACK, "");
        w.handshake(90000, 7000);
        Recorder r = w.recorder;
        assertThat(r.connections).hasSize(2);
        assertThat(r.closed.get(r.connections.getFirst().serverToClient())).isEqualTo(EndReason.REUSED);
    }

    @Test
    void dataAfterFinIsCountedNotDelivered() {
        Wire w = new Wire().handshake(0, 5000);
        w.c(1, FIN | ACK, "abc").c(4, A, "zzz");
        StreamHalf h = w.recorder.connections.getFirst().clientToServer();
        assertThat(text(w.recorder.c2s(0))).isEqualTo("abc");
        assertThat(h.lateBytes()).isEqualTo(3);
        assertThat(h.closed()).isTrue();
    }

    @Test
    void snaplenCutTailIsMissingAndZeroFilled() {
        Wire w = new Wire().handshake(0, 5000);
        w.send(true, 1, A, Wire.bytes("abcd"), 6, ChecksumStatus.UNCHECKED);
        w.c(11, A, "klm");
        StreamHalf h = w.recorder.connections.getFirst().clientToServer();
        assertThat(text(w.recorder.c2s(0))).isEqualTo("abcd\0\0\0\0\0\0klm");
        assertThat(h.missing()).isEqualTo(6);
        assertThat(h.bytes()).isEqualTo(7);
    }

    @Test
    void badChecksumSegmentIsReplacedByAGoodRetransmission() {
        Wire w = new Wire().handshake(0, 5000);
        w.send(true, 1, A, Wire.bytes("BAD!"), 0, ChecksumStatus.BAD);
        w.send(true, 5, A, Wire.bytes("tail"), 0, ChecksumStatus.GOOD);
        w.send(true, 1, A, Wire.bytes("good"), 0, ChecksumStatus.GOOD);
        StreamHalf h = w.recorder.connections.getFirst().clientToServer();
        assertThat(text(w.recorder.c2s(0))).isEqualTo("goodtail");
        assertThat(h.badChecksum()).isEqualTo(1);
        assertThat(w.assembler.stats().badChecksum()).isEqualTo(1);
    }

    @Test
    void directionIsTakenFromSynAckWhenTheSynIsMissing() {
        Wire w = new Wire();
        w.s(5000, SYN | ACK, "").c(1, A, "req");
        Connection c = w.recorder.connections.getFirst();
        assertThat(c.clientToServer().srcPort()).isEqualTo(40000);
        assertThat(text(w.recorder.c2s(0))).isEqualTo("req");
    }

    @Test
    void midstreamStartsAtTheFirstSeenByte() {
        Wire w = new Wire();
        w.s(777, A, "resp").c(100, A, "q").s(781, A, "onse");
        Connection c = w.recorder.connections.getFirst();
        assertThat(c.clientToServer().srcPort()).isEqualTo(80);
        assertThat(text(w.recorder.data(c.half(Direction.CLIENT_TO_SERVER)))).isEqualTo("response");
    }

    @Test
    void synPayloadIsData() {
        Wire w = new Wire();
        w.c(100, SYN, "tfo").s(9, SYN | ACK, "").c(104, A, "more");
        assertThat(text(w.recorder.c2s(0))).isEqualTo("tfomore");
    }

    @Test
    void farJumpIsOutOfWindowUntilItRepeats() {
        Wire w = new Wire().handshake(0, 5000);
        w.c(1, A, "a").c(1L << 30, A, "junk").c(2, A, "b");
        StreamHalf h = w.recorder.connections.getFirst().clientToServer();
        assertThat(h.outOfWindow()).isEqualTo(1);
        assertThat(text(w.recorder.c2s(0))).isEqualTo("ab");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7})
    void poolRefusesConnectionsBeyondItsCap(int max) {
        Recorder r = new Recorder();
        Assembler a = new Assembler(new StreamPool(r, AssemblerConfig.defaults().withMaxConnections(max)));
        TcpSegment s = new TcpSegment();
        for (int i = 0; i < 10; i++) {
            s.capture(i, i).endpoints(false, 0, 1, 1000 + i, 0, 2, 80).header(0, 0, SYN, 0);
            a.assemble(s);
        }
        assertThat(r.connections).hasSize(max);
        assertThat(a.stats().connectionsRefused()).isEqualTo(10 - max);
    }

    @Test
    void aFullPoolForgetsCompletedConnectionsFirst() {
        Recorder r = new Recorder();
        Assembler a = new Assembler(new StreamPool(r, AssemblerConfig.defaults().withMaxConnections(2)));
        TcpSegment s = new TcpSegment();
        for (int i = 0; i < 5; i++) {
            s.capture(i, i).endpoints(false, 0, 1, 1000 + i, 0, 2, 80).header(0, 0, SYN, 0);
            a.assemble(s);
            s.header(1, 0, RST, 0);
            a.assemble(s);
            s.endpoints(false, 0, 2, 80, 0, 1, 1000 + i).header(7, 1, RST | ACK, 0);
            a.assemble(s);
        }
        assertThat(r.connections).hasSize(5);
        assertThat(r.completed).hasSize(5);
        assertThat(a.stats().connectionsRefused()).isZero();
        assertThat(a.pool().size()).isLessThanOrEqualTo(2);
    }
}
