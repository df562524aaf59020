package dev.conntrace.reassembly;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Captures with known content (reordered, duplicated segments): every direction must come out exact. */
class SyntheticCaptureTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"1, 0, 0, 0", "2, 0.3, 0, 1", "3, 0, 0.2, 2", "4, 0.5, 0.5, 3"})
    void reassemblesGroundTruth(long seed, double reorder, double duplicate, int hashThreads) throws Exception {
        Path pcap = dir.resolve("synthetic.pcap");
        List<SyntheticCapture.Truth> truth;
        try (var os = Files.newOutputStream(pcap)) {
            truth = SyntheticCapture.write(os, 30, 5, 50_000, seed, reorder, duplicate);
        }
        List<DirectionSummary> ours = SharedCaptures.reassemble(pcap, AssemblerConfig.defaults(),
                CaptureReassembler.Options.defaults(), hashThreads);
        // summaries come in completion order whatever the number of hashing threads
        assertThat(ours).isEqualTo(SharedCaptures.reassemble(pcap));
        Set<String> expected = truth.stream().map(t -> t.src() + "." + t.sport() + ">" + t.dst() + "." + t.dport() + " "
                + t.dir() + " " + t.bytes() + " " + t.sha256()).collect(Collectors.toSet());
        Set<String> got = ours.stream().map(s -> OracleTest.tuple(s) + " " + s.direction().label() + " " + s.bytes() + " "
                + s.sha256()).collect(Collectors.toSet());
        assertThat(got).isEqualTo(expected);
        assertThat(ours).allMatch(s -> s.missing() == 0 && s.end() == EndReason.FIN && s.badChecksum() == 0);
        if (duplicate > 0) {
            assertThat(ours.stream().mapToLong(DirectionSummary::overlap).sum()).isPositive();
        }
    }

    /**
     * Every server segment has a wrong checksum (captured with checksum offload): AUTO stops checking, and
     * even when checking is forced the bytes the client acknowledged are used, so the result is exact.
     */
    @ParameterizedTest
    @CsvSource({"AUTO, 0", "ALWAYS, 1"})
    void offloadedChecksums(CaptureReassembler.ChecksumMode mode, int hashThreads) throws Exception {
        Path pcap = dir.resolve("offload.pcap");
        List<SyntheticCapture.Truth> truth;
        try (var os = Files.newOutputStream(pcap)) {
            truth = SyntheticCapture.write(os, 10, 3, 20_000, 9, 0.2, 0, true);
        }
        List<DirectionSummary> ours = SharedCaptures.reassemble(pcap, AssemblerConfig.defaults(),
                CaptureReassembler.Options.defaults().withChecksums(mode), hashThreads);
        Set<String> expected = truth.stream().map(t -> t.dir() + " " + t.bytes() + " " + t.sha256()).collect(Collectors.toSet());
        Set<String> got = ours.stream().map(s -> s.direction().label() + " " + s.bytes() + " " + s.sha256())
                .collect(Collectors.toSet());
        assertThat(got).isEqualTo(expected);
        long bad = ours.stream().mapToLong(DirectionSummary::badChecksum).sum();
        if (mode == CaptureReassembler.ChecksumMode.AUTO) {
            assertThat(bad).isZero();
        } else {
            assertThat(bad).isPositive();
        }
    }
}
