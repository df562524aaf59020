package dev.conntrace.conntrack.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.conntrace.conntrack.DecodeCounters;
import dev.conntrace.conntrack.Flow;
import dev.conntrace.conntrack.text.ConntrackText;
import dev.conntrace.netlink.DecodeException;
import java.lang.foreign.MemorySegment;

/**
 * Arbitrary attribute bytes never make the decoders throw anything but {@link DecodeException};
 * a decoded flow always formats. Without fuzzing enabled, runs the seeds in
 * {@code FlowDecoderFuzzTestInputs/}.
 */
class FlowDecoderFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void attributesDecodeOrFailCleanly(byte[] input) {
        FlowDecoder d = new FlowDecoder(new DecodeCounters());
        try {
            Flow f = d.decodeAttributes(MemorySegment.ofArray(input), 0, input.length);
            assertThat(f.original()).isNotNull();
            assertThat(ConntrackText.format(f, ConntrackText.Options.EXTENDED, 0)).isNotEmpty();
        } catch (DecodeException e) {
            assertThat(e.what()).isNotEmpty();
        }
    }
}
