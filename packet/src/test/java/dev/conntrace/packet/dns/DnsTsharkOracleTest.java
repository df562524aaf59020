package dev.conntrace.packet.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.packet.CaptureFile;
import dev.conntrace.packet.DecodedPacket;
import dev.conntrace.packet.PacketDecoder;
import dev.conntrace.packet.PacketSource;
import dev.conntrace.sys.testing.Prerequisites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DNS messages in the shared captures parse to what tshark shows. */
class DnsTsharkOracleTest {

    static Path shared(String name) {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path f = d.resolve("shared").resolve("pcaps").resolve(name);
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        org.junit.jupiter.api.Assumptions.abort("shared captures not found");
        return null;
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "zeek--pcapng-multi-interface.pcapng",
        "tcpdump--dns_tcp.pcap",
        "tcpflow--tests_airsnort-linux-browser_page_load.pcap",
        "tcpflow--tests_test1.pcap",
        "zeek--smtp.pcap",
        "suricata-verify--dns-tcp-ts-gap_input.pcap"})
    void matchesTshark(String name) throws Exception {
        Prerequisites.requireTool("tshark");
        Path file = shared(name);
        Map<Long, String> ours = ours(file);
        Map<Long, String> theirs = tshark(file);
        assertThat(ours).isNotEmpty();
        for (Map.Entry<Long, String> e : ours.entrySet()) {
            assertThat(e.getValue()).as(name + " frame " + e.getKey()).isEqualTo(theirs.get(e.getKey()));
        }
    }

    private static Map<Long, String> ours(Path file) throws IOException {
        Map<Long, String> out = new LinkedHashMap<>();
        DecodedPacket d = new DecodedPacket();
        try (PacketSource src = CaptureFile.open(file)) {
            while (src.next()) {
                PacketDecoder.decode(src.linkType(), src.data(), src.dataOffset(), src.captureLength(),
                        src.originalLength(), d);
                if ((!d.isUdp() && !d.isTcp()) || (d.srcPort() != 53 && d.dstPort() != 53) || d.payloadLength() == 0) {
                    continue;
                }
                byte[] payload = new byte[d.payloadLength()];
                java.lang.foreign.MemorySegment.copy(d.data(), java.lang.foreign.ValueLayout.JAVA_BYTE,
                        d.payloadOffset(), payload, 0, payload.length);
                List<DnsMessage> messages = new ArrayList<>();
                try {
                    if (d.isUdp()) {
                        messages.add(DnsMessage.parse(payload));
                    } else {
                        DnsTcpFraming.parseFrames(payload, 0, payload.length, messages::add);
                    }
                } catch (DnsFormatException e) {
                    continue; // a fragment of a message spread over segments
                }
                if (messages.size() == 1) {
                    out.put(src.packetIndex() + 1, line(messages.getFirst()));
                }
            }
        }
        return out;
    }

    static String line(DnsMessage m) {
        List<String> a = new ArrayList<>();
        List<String> aaaa = new ArrayList<>();
        List<String> cname = new ArrayList<>();
        List<String> ttl = new ArrayList<>();
        List<DnsRecord> all = new ArrayList<>(m.answers());
        all.addAll(m.authorities());
        all.addAll(m.additionals());
        for (DnsRecord r : all) {
            if (r.type() != DnsType.OPT) {
                ttl.add(Long.toString(r.ttl()));
            }
            switch (r.data()) {
                case DnsData.Address addr when r.type() == DnsType.A -> a.add(addr.toString());
                case DnsData.Address addr -> aaaa.add(addr.toString());
                case DnsData.Name n when r.type() == DnsType.CNAME -> cname.add(n.name());
                default -> { }
            }
        }
        return String.join("\t", String.format("0x%04x", m.id()), String.format("0x%04x", m.flags()),
                m.questions().isEmpty() ? "" : m.questions().getFirst().name(),
                Integer.toString(m.answers().size()), Integer.toString(m.authorities().size()),
                Integer.toString(m.additionals().size()),
                String.join(",", a), String.join(",", aaaa), String.join(",", cname), String.join(",", ttl));
    }

    private static Map<Long, String> tshark(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("tshark", "-n", "-r", file.toString(), "-Y", "dns", "-T", "fields",
                "-E", "separator=/t", "-e", "frame.number", "-e", "dns.id", "-e", "dns.flags", "-e", "dns.qry.name",
                "-e", "dns.count.answers", "-e", "dns.count.auth_rr", "-e", "dns.count.add_rr",
                "-e", "dns.a", "-e", "dns.aaaa", "-e", "dns.cname", "-e", "dns.resp.ttl")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Map<Long, String> m = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int tab = line.indexOf('\t');
            if (tab > 0) {
                m.put(Long.parseLong(line.substring(0, tab)), line.substring(tab + 1));
            }
        }
        return m;
    }
}
