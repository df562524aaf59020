package dev.conntrace.reassembly;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Where tshark and tcpflow reassemble a direction to identical bytes, ours must be identical too.
 * Connections are matched by their directed 4-tuple and, for reused 4-tuples, by order of appearance
 * (tshark's stream index order against ours).
 */
class OracleTest {
    @Test
    void everyDirectionWhereTheOraclesAgreeMatches() throws Exception {
        Path dir = SharedCaptures.dir();
        List<OracleRow> all = OracleRow.read(dir);
        List<OracleRow> agreeing = OracleRow.agreeing(all);
        Map<String, List<OracleRow>> byPcap = new LinkedHashMap<>();
        for (OracleRow r : agreeing) {
            byPcap.computeIfAbsent(r.pcap(), k -> new ArrayList<>()).add(r);
        }
        int matched = 0;
        List<String> failures = new ArrayList<>();
        for (var e : byPcap.entrySet()) {
            List<DirectionSummary> ours = SharedCaptures.reassemble(dir.resolve(e.getKey()));
            Map<String, List<DirectionSummary>> oursByTuple = new HashMap<>();
            ours.stream().sorted(Comparator.comparingLong(DirectionSummary::stream))
                    .forEach(s -> oursByTuple.computeIfAbsent(tuple(s), k -> new ArrayList<>()).add(s));
            // tshark streams of each directed tuple, in index order
            Map<String, List<Integer>> tsharkStreams = new HashMap<>();
            all.stream().filter(r -> r.pcap().equals(e.getKey()) && r.engine().equals("tshark"))
                    .sorted(Comparator.comparingInt(r -> Integer.parseInt(r.stream())))
                    .forEach(r -> tsharkStreams.computeIfAbsent(r.tuple(), k -> new ArrayList<>()).add(Integer.parseInt(r.stream())));
            for (OracleRow r : e.getValue()) {
                int occurrence = tsharkStreams.get(r.tuple()).indexOf(Integer.parseInt(r.stream()));
                List<DirectionSummary> candidates = oursByTuple.getOrDefault(r.tuple(), List.of());
                DirectionSummary s = occurrence < candidates.size() ? candidates.get(occurrence) : null;
                if (s != null && s.sha256().equals(r.sha256()) && s.direction().label().equals(r.dir())) {
                    matched++;
                } else {
                    failures.add(r.pcap() + " stream " + r.stream() + " " + r.dir() + " " + r.tuple() + ": oracle " + r.bytes()
                            + " bytes, ours " + (s == null ? "none of " + candidates.size() : s.direction().label() + " "
                            + s.bytes() + " bytes + " + s.missing() + " missing, overlap " + s.overlap() + ", late "
                            + s.lateBytes() + ", bad " + s.badChecksum() + ", end " + s.end()));
                }
            }
        }
        System.out.println("oracle agreement: matched " + matched + " of " + agreeing.size() + " directions");
        failures.forEach(f -> System.out.println("  MISMATCH " + f));
        assertThat(failures).isEmpty();
        assertThat(matched).isEqualTo(agreeing.size()).isPositive();
    }

    static String tuple(DirectionSummary s) {
        return s.src() + "." + s.srcPort() + ">" + s.dst() + "." + s.dstPort();
    }
}
