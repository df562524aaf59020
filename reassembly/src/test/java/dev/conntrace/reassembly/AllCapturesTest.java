package dev.conntrace.reassembly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.packet.CaptureFormatException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every shared capture is reassembled without an undeclared exception, and the counters stay sane. */
class AllCapturesTest {
    static Stream<Path> captures() {
        return SharedCaptures.captures().stream();
    }

    @Test
    void sharedCapturesArePresent() {
        SharedCaptures.dir();
        assertThat(SharedCaptures.captures()).hasSizeGreaterThan(100);
    }

    // without the shared directory there is nothing to run here; sharedCapturesArePresent reports it
    @ParameterizedTest(name = "{0}", allowZeroInvocations = true)
    @MethodSource("captures")
    void reassemblesWithoutCrashing(Path capture) throws Exception {
        for (AssemblerConfig config : List.of(AssemblerConfig.defaults(),
                AssemblerConfig.defaults().withPageSize(64).withBufferCaps(512, 4096))) {
            List<DirectionSummary> ours;
            try {
                ours = SharedCaptures.reassemble(capture, config, CaptureReassembler.Options.defaults());
            } catch (CaptureFormatException e) {
                // a corrupt capture is a declared outcome; it must say where
                assertThat(e.getMessage()).isNotBlank();
                return;
            }
            assertThat(ours.size() % 2).isZero();
            // hashing on two threads changes nothing
            assertThat(SharedCaptures.reassemble(capture, config, CaptureReassembler.Options.defaults(), 2))
                    .isEqualTo(ours);
            for (DirectionSummary s : ours) {
                assertThat(s.bytes()).isNotNegative();
                assertThat(s.missing()).isNotNegative();
                assertThat(s.overlap()).isNotNegative();
                assertThat(s.lateBytes()).isNotNegative();
                assertThat(s.end()).isNotNull();
                assertThat(s.sha256()).hasSize(64);
            }
        }
    }
}
