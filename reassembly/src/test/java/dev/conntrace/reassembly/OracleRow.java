package dev.conntrace.reassembly;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One row of {@code oracle.tsv}: one direction of one connection as one engine reassembled it. */
record OracleRow(String pcap, String engine, String stream, String dir, String src, int sport, String dst, int dport,
        long bytes, String sha256) {

    static List<OracleRow> read(Path dir) {
        List<OracleRow> rows = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(dir.resolve("oracle.tsv"))) {
                if (line.startsWith("#") || line.startsWith("pcap\t")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                rows.add(new OracleRow(f[0], f[1], f[2], f[3], f[4], Integer.parseInt(f[5]), f[6], Integer.parseInt(f[7]),
                        Long.parseLong(f[8]), f[9]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    String tuple() {
        return src + "." + sport + ">" + dst + "." + dport;
    }

    /** Directions (non-empty) where tshark and tcpflow produced the same bytes. */
    static List<OracleRow> agreeing(List<OracleRow> rows) {
        List<OracleRow> out = new ArrayList<>();
        for (OracleRow t : rows) {
            if (!t.engine.equals("tshark") || t.bytes == 0) {
                continue;
            }
            for (OracleRow f : rows) {
                if (f.engine.equals("tcpflow") && f.pcap.equals(t.pcap) && f.stream.equals(t.stream) && f.dir.equals(t.dir)
                        && f.tuple().equals(t.tuple()) && f.sha256.equals(t.sha256)) {
                    out.add(t);
                    break;
                }
            }
        }
        return out;
    }
}
