package dev.conntrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code streams} puts TCP segments split into IP fragments back together before reassembling them. */
class StreamsFragmentsTest {
    @TempDir
    Path tmp;

    private record Run(int status, List<String> records, String err) {}

    private static Run streams(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        StreamsCommand cmd = new StreamsCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        int rc = new CommandLine(cmd).setErr(new java.io.PrintWriter(err, true)).execute(args);
        return new Run(rc, out.toString(StandardCharsets.UTF_8).lines().toList(), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void shuffledFragmentsGiveTheRecordsOfTheWholeSegments(boolean v6) throws Exception {
        Path whole = tmp.resolve("whole.pcap");
        Path fragmented = tmp.resolve("fragmented.pcap");
        FragmentedTcpCapture.write(whole, v6, FragmentedTcpCapture.Variant.WHOLE, 7);
        FragmentedTcpCapture f = FragmentedTcpCapture.write(fragmented, v6, FragmentedTcpCapture.Variant.FRAGMENTED, 7);
        assertThat(f.fragmentedSegments).isEqualTo(2 * (3 + 7));
        assertThat(f.fragments).isGreaterThan(2 * f.fragmentedSegments);

        Run expected = streams("-o", "json", whole.toString());
        assertThat(expected.status()).isZero();
        assertThat(expected.err()).isEmpty();
        assertThat(expected.records()).hasSize(4).allMatch(r -> r.contains("\"missing\":0") && r.contains("\"end\":\"fin\""))
                .anyMatch(r -> r.contains("\"bytes\":" + FragmentedTcpCapture.REQUEST))
                .anyMatch(r -> r.contains("\"bytes\":" + FragmentedTcpCapture.RESPONSE));
        Run actual = streams("-o", "json", fragmented.toString());
        assertThat(actual.status()).isZero();
        assertThat(actual.records()).as("records, sha256 included").isEqualTo(expected.records());
        assertThat(actual.err()).isEqualTo("conntrace streams: " + f.fragments + " IP fragments: " + f.fragmentedSegments
                + " datagram(s) reassembled, 0 incomplete\n");
        // the table too
        assertThat(streams(fragmented.toString()).records()).isEqualTo(streams(whole.toString()).records());
    }

    private static String withoutLastAndPackets(String record) {
        return record.replaceAll("\"last\":\"[^\"]*\",\"packets\":\\d+,", "");
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void overlappingFragmentsAreCountedAndAnIncompleteSegmentIsAGap(boolean v6) throws Exception {
        Path whole = tmp.resolve("whole.pcap");
        Path damaged = tmp.resolve("damaged.pcap");
        FragmentedTcpCapture.write(whole, v6, FragmentedTcpCapture.Variant.WHOLE, 11);
        FragmentedTcpCapture d = FragmentedTcpCapture.write(damaged, v6, FragmentedTcpCapture.Variant.DAMAGED, 11);
        assertThat(d.lostSegmentBytes).isPositive();

        Run expected = streams("-o", "json", whole.toString());
        Run actual = streams("-o", "json", damaged.toString());
        assertThat(actual.status()).isZero();
        Matcher m = Pattern.compile("conntrace streams: (\\d+) IP fragments: (\\d+) datagram\\(s\\) reassembled, 1 incomplete, "
                + "(\\d+) overlapping byte\\(s\\) ignored\n").matcher(actual.err());
        assertThat(m.matches()).as(actual.err()).isTrue();
        assertThat(Long.parseLong(m.group(1))).isEqualTo(d.fragments);
        assertThat(Long.parseLong(m.group(2))).isEqualTo(d.fragmentedSegments - 1);
        assertThat(Long.parseLong(m.group(3))).isPositive();
        assertThat(actual.records()).hasSize(4);
        for (int i = 0; i < 4; i++) {
            String e = expected.records().get(i);
            String a = actual.records().get(i);
            if (e.contains("\"stream\":0,") && e.contains("\"dir\":\"s2c\"")) {
                // the segment that never completed is missing; the rest of the direction is intact
                assertThat(a).contains("\"missing\":" + d.lostSegmentBytes, "\"bytes\":" + (FragmentedTcpCapture.RESPONSE - d.lostSegmentBytes))
                        .isNotEqualTo(e);
            } else if (e.contains("\"stream\":0,")) {
                // its connection ends later (the gap in the other direction): one more packet, a later last
                assertThat(withoutLastAndPackets(a)).as("a direction whose fragments all came (one of them twice, overlapping)")
                        .isEqualTo(withoutLastAndPackets(e));
            } else {
                assertThat(a).as("a connection whose fragments all came").isEqualTo(e);
            }
        }
    }
}
