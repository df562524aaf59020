package dev.conntrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.conntrack.EventType;
import dev.conntrace.conntrack.Expect;
import dev.conntrace.conntrack.Tuple;
import dev.conntrace.sys.IpAddress;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ExpectPrinterTest {
    private static final IpAddress A = IpAddress.parse("10.0.0.1");
    private static final IpAddress B = IpAddress.parse("10.0.0.2");
    private static final IpAddress ALL = IpAddress.parse("255.255.255.255");
    private static final Expect E = new Expect(Tuple.tcp(A, 40000, B, 21), Tuple.tcp(A, 0, B, 50000),
            Tuple.tcp(ALL, 0, ALL, 0xFFFF), 297, 3_000_000_000L, "ftp", 0, 1, 0, -1, null, null);

    private static String print(ExpectPrinter p, StringWriter w, boolean events, EventType... types) {
        p.begin(events);
        for (EventType t : types) {
            p.print(E, t);
        }
        p.end();
        return w.toString();
    }

    @Test
    void jsonIsOneObjectPerLineEndedAtOnce() {
        StringWriter w = new StringWriter();
        ExpectPrinter p = new ExpectPrinter.Json(new PrintWriter(w));
        p.begin(true);
        p.print(E, EventType.NEW);
        assertThat(w.toString()).as("the line ends before the next event").endsWith("}\n");
        p.print(E, EventType.DESTROY);
        p.end();
        assertThat(w.toString().lines()).hasSize(2).satisfiesExactly(
                n -> assertThat(n).isEqualTo("{\"event\":\"new\",\"family\":\"ipv4\",\"proto\":\"tcp\",\"timeout\":297,"
                        + "\"tuple\":{\"src\":\"10.0.0.1\",\"dst\":\"10.0.0.2\",\"sport\":0,\"dport\":50000},"
                        + "\"mask\":{\"src\":\"255.255.255.255\",\"dst\":\"255.255.255.255\",\"sport\":0,\"dport\":65535},"
                        + "\"master\":{\"src\":\"10.0.0.1\",\"dst\":\"10.0.0.2\",\"sport\":40000,\"dport\":21},"
                        + "\"id\":3000000000,\"zone\":0,\"flags\":[\"PERMANENT\"],\"class\":0,\"helper\":\"ftp\"}"),
                d -> assertThat(d).startsWith("{\"event\":\"destroy\","));
    }

    @Test
    void conntrackLinesAndTable() {
        StringWriter lines = new StringWriter();
        assertThat(print(new ExpectPrinter.ConntrackLines(new PrintWriter(lines)), lines, true, EventType.NEW))
                .isEqualTo("    [NEW] 297 proto=6 src=10.0.0.1 dst=10.0.0.2 sport=0 dport=50000 mask-src=255.255.255.255"
                        + " mask-dst=255.255.255.255 sport=0 dport=65535 master-src=10.0.0.1 master-dst=10.0.0.2 sport=40000"
                        + " dport=21 zone=0 PERMANENT class=0 helper=ftp\n");
        StringWriter table = new StringWriter();
        String listed = print(new ExpectPrinter.Table(new PrintWriter(table)), table, false, (EventType) null);
        assertThat(listed.lines()).hasSize(2).satisfiesExactly(
                h -> assertThat(h).startsWith("PROTO   EXPECTED"),
                r -> assertThat(r).startsWith("tcp     10.0.0.1:0 -> 10.0.0.2:50000").contains("10.0.0.1:40000 -> 10.0.0.2:21")
                        .endsWith(" 297 ftp"));
        StringWriter events = new StringWriter();
        assertThat(print(new ExpectPrinter.Table(new PrintWriter(events)), events, true, EventType.DESTROY).lines())
                .hasSize(2).last().asString().startsWith("DESTROY tcp     10.0.0.1:0 -> 10.0.0.2:50000");
    }
}
