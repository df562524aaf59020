package dev.conntrace.packet.dns;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;

/**
 * Arbitrary bytes never make the DNS parser throw anything but {@link DnsFormatException}; a
 * parsed message always formats. Without JAZZER_FUZZ, runs the seeds in {@code DnsFuzzTestInputs/}.
 */
class DnsFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void parserReturnsMessagesOrFormatErrors(byte[] input) {
        try {
            DnsMessage m = DnsMessage.parse(input);
            assertThat(m.toString()).isNotEmpty();
            m.rcode();
            for (DnsQuestion q : m.questions()) {
                assertThat(q.name().length()).isLessThanOrEqualTo(4 * 255);
            }
        } catch (DnsFormatException e) {
            assertThat(e.offset()).isBetween(0, input.length);
        }
        List<DnsMessage> framed = new ArrayList<>();
        try {
            int consumed = DnsTcpFraming.parseFrames(input, 0, input.length, framed::add);
            assertThat(consumed).isBetween(0, input.length);
        } catch (DnsFormatException e) {
            assertThat(e.getMessage()).isNotEmpty();
        }
    }
}
