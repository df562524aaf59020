package dev.conntrace.packet;

import static dev.conntrace.packet.Frames.DST4;
import static dev.conntrace.packet.Frames.SRC4;
import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.packet.dns.DnsTransaction;
import dev.conntrace.packet.dns.DnsTransactionTracker;
import dev.conntrace.packet.dns.DnsWireReader;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsWireReaderTest {
    private final List<DnsTransaction> out = new ArrayList<>();
    private final DnsTransactionTracker tracker = new DnsTransactionTracker(5_000_000_000L, 3, out::add);
    private final DnsWireReader reader = new DnsWireReader(53, 16,
            (t, tr, s, sp, d, dp, m) -> tracker.message(t, tr, s, sp, d, dp, m));
    private final DecodedPacket p = new DecodedPacket();

    /** A query (or response with one A answer) for {@code name}. */
    static byte[] dns(int id, boolean response, String name, int rcode) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.writeBytes(Frames.be16(id));
        b.writeBytes(Frames.be16(response ? 0x8180 | rcode : 0x0100));
        b.writeBytes(Frames.be16(1));
        b.writeBytes(Frames.be16(response && rcode == 0 ? 1 : 0));
        b.writeBytes(Frames.be16(0));
        b.writeBytes(Frames.be16(0));
        for (String label : name.split("\\.")) {
            b.write(label.length());
            b.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        b.write(0);
        b.writeBytes(Frames.bytes(0, 1, 0, 1));
        if (response && rcode == 0) {
            b.writeBytes(Frames.bytes(0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1));
        }
        return b.toByteArray();
    }

    private void feed(long nanos, byte[] ipPacket) {
        byte[] frame = Frames.ethernet(0x0800, ipPacket);
        assertThat(PacketDecoder.decode(LinkType.ETHERNET, MemorySegment.ofArray(frame), 0, frame.length, frame.length, p)).isTrue();
        reader.accept(p, nanos);
    }

    private void udp(long nanos, boolean fromClient, byte[] payload) {
        feed(nanos, fromClient ? Frames.ipv4(SRC4, DST4, 17, Frames.udp(40000, 53, payload))
                : Frames.ipv4(DST4, SRC4, 17, Frames.udp(53, 40000, payload)));
    }

    private void tcp(boolean fromClient, long seq, int flags, byte[] payload) {
        byte[] t = fromClient ? Frames.tcp(40001, 53, seq, 1, flags, 512, new byte[0], payload)
                : Frames.tcp(53, 40001, seq, 1, flags, 512, new byte[0], payload);
        feed(0, fromClient ? Frames.ipv4(SRC4, DST4, 6, t) : Frames.ipv4(DST4, SRC4, 6, t));
    }

    private static byte[] framed(byte[] m) {
        return Frames.cat(Frames.be16(m.length), m);
    }

    @Test
    void udpQueriesMatchResponsesByIdAndUnansweredOnesTimeOut() {
        udp(1_000, true, dns(7, false, "example.com", 0));
        udp(2_000, true, dns(8, false, "lost.example", 0));
        udp(2_500, true, dns(7, false, "example.com", 0)); // retransmission
        udp(5_000, false, dns(7, true, "example.com", 0));
        udp(6_000, false, dns(9, true, "stray.example", 3));
        udp(7_000, false, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}); // header claims nothing, then junk
        udp(7_000, true, Frames.bytes(0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 63)); // question name cut short
        tracker.finish();
        assertThat(out).extracting(DnsTransaction::outcome).containsExactly(DnsTransaction.Outcome.ANSWERED,
                DnsTransaction.Outcome.UNSOLICITED, DnsTransaction.Outcome.TIMEOUT);
        DnsTransaction a = out.getFirst();
        assertThat(a.question().name()).isEqualTo("example.com");
        assertThat(a.latencyNanos()).isEqualTo(4_000);
        assertThat(a.client().toString()).isEqualTo("10.0.0.1");
        assertThat(a.serverPort()).isEqualTo(53);
        assertThat(a.response().answers()).hasSize(1);
        assertThat(out.get(1).rcode()).isEqualTo(3);
        assertThat(out.get(1).client().toString()).isEqualTo("10.0.0.1");
        assertThat(out.get(2).question().name()).isEqualTo("lost.example");
        assertThat(out.get(2).latencyNanos()).isEqualTo(-1);
        assertThat(tracker.retransmits()).isEqualTo(1);
        assertThat(reader.malformed()).isEqualTo(2);
    }

    @Test
    void expiryIsByCaptureTimeAndPendingIsBounded() {
        udp(0, true, dns(1, false, "a.example", 0));
        tracker.expire(4_999_999_999L);
        assertThat(out).isEmpty();
        tracker.expire(5_000_000_000L);
        assertThat(out).singleElement().extracting(DnsTransaction::outcome).isEqualTo(DnsTransaction.Outcome.TIMEOUT);
        for (int i = 0; i < 5; i++) {
            udp(10, true, dns(100 + i, false, "b.example", 0));
        }
        assertThat(tracker.pending()).isEqualTo(3);
        assertThat(tracker.evicted()).isEqualTo(2);
        assertThat(out).extracting(DnsTransaction::id).containsExactly(1, 100, 101);
    }

    @Test
    void tcpMessagesSplitAtEveryOffsetRetransmittedOrPipelinedAreFound() {
        byte[] query = framed(dns(0x4242, false, "split.example", 0));
        byte[] response = framed(dns(0x4242, true, "split.example", 0));
        byte[] second = framed(dns(0x4343, false, "two.example", 0));
        for (int cut = 0; cut <= query.length; cut++) {
            out.clear();
            long seq = 1000;
            tcp(true, seq - 1, TcpFlags.SYN, new byte[0]);
            byte[] a = Arrays.copyOfRange(query, 0, cut);
            byte[] b = Frames.cat(Arrays.copyOfRange(query, cut, query.length), second);
            tcp(true, seq, TcpFlags.ACK, a);
            tcp(true, seq, TcpFlags.ACK, a); // retransmitted
            tcp(true, seq + a.length, TcpFlags.ACK | TcpFlags.PSH, b);
            tcp(false, 5000, TcpFlags.ACK, response); // server side joined mid-stream
            tcp(true, seq + a.length + b.length, TcpFlags.FIN | TcpFlags.ACK, new byte[0]);
            tcp(false, 5000 + response.length, TcpFlags.FIN | TcpFlags.ACK, new byte[0]);
            tracker.finish();
            assertThat(out).as("cut at %d", cut).hasSize(2);
            assertThat(out.get(0).outcome()).isEqualTo(DnsTransaction.Outcome.ANSWERED);
            assertThat(out.get(0).transport()).isEqualTo(DnsTransaction.Transport.TCP);
            assertThat(out.get(0).question().name()).isEqualTo("split.example");
            assertThat(out.get(1).outcome()).isEqualTo(DnsTransaction.Outcome.TIMEOUT);
            assertThat(out.get(1).id()).isEqualTo(0x4343);
        }
        assertThat(reader.malformed()).isZero();
        assertThat(reader.tcpGaps()).isZero();
    }

    @Test
    void aTcpGapDropsThePartialMessageAndIsCounted() {
        byte[] query = framed(dns(1, false, "gap.example", 0));
        byte[] next = framed(dns(2, false, "after.example", 0));
        tcp(true, 99, TcpFlags.SYN, new byte[0]);
        tcp(true, 100, TcpFlags.ACK, Arrays.copyOfRange(query, 0, 5));
        tcp(true, 100 + query.length, TcpFlags.ACK, next); // bytes 5.. of the first were lost
        tracker.finish();
        assertThat(reader.tcpGaps()).isEqualTo(1);
        assertThat(out).singleElement().extracting(DnsTransaction::id).isEqualTo(2);
    }
}
