package dev.conntrace.reassembly;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Captures where tshark and tcpflow disagree (overlaps with different bytes, holes, snaplen cuts, data
 * after FIN): our output for the direction is checked against {@link FirstWinsModel}, an independent,
 * naive statement of our policy, and against the counters we report.
 */
class PolicyTest {
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        // overlapping segments with different bytes: the first copy wins (tshark's bytes, not tcpflow's)
        "suricata-verify--eve-overlap-payload-01_tcp-overlap.pcap, 1.1.1.1, 12345, 2.2.2.2, 8080, 278f14e9, 0, 4",
        "suricata-verify--eve-overlap-payload-04-partial-overlap_tcp-overlap2.pcap, 1.1.1.1, 12345, 2.2.2.2, 8080, 278f14e9, 0, 3",
        // a hole never filled before the RST: zero-filled (tcpflow's bytes; tshark drops the data after it)
        "suricata-verify--tcp-rst-unacked-stream-03-gap_input.pcap, 2.2.2.2, 8080, 1.1.1.1, 12345, f6aa24b4, 4, 0",
        // snaplen: cut tails are missing bytes written as zeros (tcpflow's bytes; tshark concatenates what was captured)
        "zeek--communityid_tcp.pcap, 66.35.250.204, 80, 128.232.110.120, 34855, -, 1671, 0",
        "zeek--communityid_tcp.pcap, 128.232.110.120, 34855, 66.35.250.204, 80, 433f4379, 466, 0",
        // data after the FIN is not part of the stream (tshark's bytes; tcpflow writes it)
        "tcpflow--tests_bug2.pcap, 69.26.190.48, 80, 192.168.15.4, 33088, 7c86ae60, 0, -1",
        "zeek--tcp_ctu-64702-888.pcap, 185.33.86.224, 888, 192.168.1.108, 64702, 7d362601, 0, 0",
    })
    void disagreementFollowsOurPolicy(String file, String src, int sport, String dst, int dport, String shaPrefix,
            long missing, long overlap) throws Exception {
        Path pcap = SharedCaptures.dir().resolve(file);
        byte[] model = FirstWinsModel.expected(pcap, src, sport, dst, dport);
        List<DirectionSummary> ours = SharedCaptures.reassemble(pcap).stream()
                .filter(s -> s.src().toString().equals(src) && s.srcPort() == sport && s.dst().toString().equals(dst)
                        && s.dstPort() == dport)
                .sorted(Comparator.comparingLong(DirectionSummary::stream)).toList();
        assertThat(ours).hasSize(1);
        DirectionSummary s = ours.getFirst();
        assertThat(s.sha256()).isEqualTo(SyntheticCapture.sha(model));
        if (!shaPrefix.equals("-")) {
            assertThat(s.sha256()).startsWith(shaPrefix);
        }
        assertThat(s.missing()).isEqualTo(missing);
        if (overlap >= 0) {
            assertThat(s.overlap()).isEqualTo(overlap);
        }
        assertThat(s.badChecksum()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"tcpflow--tests_bug2.pcap, 69.26.190.48, 6980", "zeek--tcp_ctu-64702-888.pcap, 185.33.86.224, 13"})
    void dataAfterFinIsCountedAsLate(String file, String src, long late) throws Exception {
        List<DirectionSummary> ours = SharedCaptures.reassemble(SharedCaptures.dir().resolve(file));
        assertThat(ours).filteredOn(x -> x.src().toString().equals(src))
                .singleElement().satisfies(x -> {
                    assertThat(x.lateBytes()).isEqualTo(late);
                    assertThat(x.end()).isEqualTo(EndReason.FIN);
                });
    }

    /** A 4-tuple reused after its connection ended: a new SYN starts a new stream, as tshark numbers them. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"tcpflow--tests_bug5.pcap, 4", "tcpflow--tests_flow_test.pcap, 3"})
    void reusedTuplesBecomeSeparateStreams(String file, int connections) throws Exception {
        Path dir = SharedCaptures.dir();
        List<DirectionSummary> ours = SharedCaptures.reassemble(dir.resolve(file));
        List<String> oursC2s = ours.stream().filter(x -> x.direction() == Direction.CLIENT_TO_SERVER)
                .sorted(Comparator.comparingLong(DirectionSummary::stream)).map(DirectionSummary::sha256).toList();
        List<String> tshark = OracleRow.read(dir).stream()
                .filter(r -> r.pcap().equals(file) && r.engine().equals("tshark") && r.dir().equals("c2s"))
                .sorted(Comparator.comparingInt(r -> Integer.parseInt(r.stream()))).map(OracleRow::sha256).toList();
        assertThat(oursC2s).hasSize(connections).isEqualTo(tshark);
        assertThat(ours.stream().mapToLong(DirectionSummary::stream).distinct().count()).isEqualTo(connections);
    }
}
