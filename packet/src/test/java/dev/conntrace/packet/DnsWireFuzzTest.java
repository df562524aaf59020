package dev.conntrace.packet;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.conntrace.packet.dns.DnsTransaction;
import dev.conntrace.packet.dns.DnsTransactionTracker;
import dev.conntrace.packet.dns.DnsWireReader;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Arbitrary sequences of UDP and TCP packets to and from port 53 never make the DNS reader or the
 * transaction tracker throw, and every query is reported exactly once by the end. Each packet is
 * [kind][seq high][seq low][length][payload]: kind's low bits choose UDP or TCP, direction and flags.
 */
class DnsWireFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void readerAndTrackerNeverThrow(byte[] input) {
        List<DnsTransaction> out = new ArrayList<>();
        DnsTransactionTracker tracker = new DnsTransactionTracker(1_000, 4, out::add);
        long[] queries = new long[1];
        DnsWireReader reader = new DnsWireReader(53, 2, (t, tr, s, sp, d, dp, m) -> {
            if (!m.isResponse()) {
                queries[0]++;
            }
            tracker.message(t, tr, s, sp, d, dp, m);
        });
        DecodedPacket p = new DecodedPacket();
        int at = 0;
        long time = 0;
        while (at + 4 <= input.length) {
            int kind = input[at] & 0xFF;
            long seq = ((input[at + 1] & 0xFF) << 8 | (input[at + 2] & 0xFF)) * 97L;
            int length = Math.min(input[at + 3] & 0xFF, input.length - at - 4);
            byte[] payload = Arrays.copyOfRange(input, at + 4, at + 4 + length);
            at += 4 + length;
            boolean fromClient = (kind & 1) == 0;
            int client = 40000 + ((kind >> 5) & 3);
            int sport = fromClient ? client : 53;
            int dport = fromClient ? 53 : client;
            byte[] transport = (kind & 2) == 0 ? Frames.udp(sport, dport, payload)
                    : Frames.tcp(sport, dport, seq, 0, (kind >> 2) & 0x17, 512, new byte[0], payload);
            byte[] frame = Frames.ethernet(0x0800, fromClient ? Frames.ipv4(Frames.SRC4, Frames.DST4, (kind & 2) == 0 ? 17 : 6, transport)
                    : Frames.ipv4(Frames.DST4, Frames.SRC4, (kind & 2) == 0 ? 17 : 6, transport));
            time += 100;
            if (PacketDecoder.decode(LinkType.ETHERNET, MemorySegment.ofArray(frame), 0, frame.length, frame.length, p)) {
                reader.accept(p, time);
            }
            tracker.expire(time);
            assertThat(tracker.pending()).isLessThanOrEqualTo(4);
        }
        tracker.finish();
        assertThat(tracker.pending()).isZero();
        long reportedQueries = out.stream().filter(t -> t.query() != null).count();
        assertThat(reportedQueries + tracker.retransmits()).isEqualTo(queries[0]);
    }
}
