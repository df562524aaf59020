package dev.conntrace.packet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.sys.testing.Prerequisites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compares each packet's timestamp, addresses, ports, sequence numbers, flags and TCP length with tshark's
 * dissection of the same capture. A representative set of captures runs by default; set
 * {@code -Dconntrace.oracle.all=true} to run every shared capture.
 */
class TsharkOracleTest {
    static final List<String> DEFAULT = List.of(
            "gopacket--pcap_test_loopback.pcap",
            "suricata-verify--bug-4376_syn_retransmit_with_ts.pcap",
            "suricata-verify--decode-sll2-01_input.pcap",
            "suricata-verify--smb-eicar-overlap_input.pcap",
            "suricata-verify--tcp-empty-sack_tcp-opt.pcap",
            "tcpdump--bigtcp-ipv4.pcap",
            "tcpdump--bigtcp-ipv6-hbh.pcap",
            "tcpdump--gso-ipv6.pcap",
            "tcpdump--tcp-handshake-nano.pcap",
            "zeek--http-qinq-0.pcap",
            "zeek--mixed-vlan-mpls.pcap",
            "zeek--nflog-http.pcap",
            "zeek--ipv6-http-atomic-frag.pcap",
            "zeek--ldap_gap-data-missing.pcapng",
            "zeek--snap-tcp.pcap",
            "zeek--tcp_truncated-header.pcap",
            "zeek--tcp_timeout-with-pings.pcap",
            "tcpflow--tests_bug8.pcap",
            "gopacket--pcapgo_tests_be_test101.pcapng",
            "gopacket--pcapgo_tests_le_test008.pcapng",
            "gopacket--pcapgo_tests_le_test202.pcapng",
            "gopacket--pcapgo_tests_le_test902.pcapng");

    /**
     * Captures whose sub-second field is out of range (microseconds above 999999, nanoseconds of
     * 10^9): tshark wraps or prints the raw fraction; we carry the excess into the seconds, so only
     * the timestamps differ.
     */
    static final java.util.Set<String> WRAPPED_TIME =
            java.util.Set.of("tcpflow--tests_bug8.pcap", "tcpdump--timestamp_invalid_nano.pcap");

    static Stream<String> captures() {
        if (Boolean.getBoolean("conntrace.oracle.all")) {
            return SharedPcaps.all().stream().map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals(SharedCapturesTest.INVALID));
        }
        return DEFAULT.stream();
    }

    @ParameterizedTest
    @MethodSource("captures")
    void fieldsMatchTshark(String name) throws Exception {
        Prerequisites.requireTool("tshark");
        Path file = SharedPcaps.file(name);
        List<String> expected = tshark(file);
        List<String> actual = ours(file);
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            String ours = actual.get(i);
            String theirs = expected.get(i);
            if (WRAPPED_TIME.contains(name)) {
                ours = ours.substring(ours.indexOf('\t'));
                theirs = theirs.substring(theirs.indexOf('\t'));
            }
            if (ours.startsWith("~")) { // ICMP (tshark shows the quoted packet) or a cut TCP/UDP header
                ours = ipFields(ours.substring(1));
                theirs = ipFields(theirs);
            }
            assertThat(ours).as(name + " frame " + (i + 1)).isEqualTo(theirs);
        }
    }

    private static List<String> tshark(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("tshark", "-n", "-r", file.toString(), "-T", "fields",
                "-E", "separator=/t", "-E", "occurrence=f",
                "-e", "frame.encap_type", "-e", "frame.time_epoch", "-e", "ip.src", "-e", "ip.dst", "-e", "ipv6.src", "-e", "ipv6.dst",
                "-e", "tcp.srcport", "-e", "tcp.dstport", "-e", "tcp.seq_raw", "-e", "tcp.ack_raw",
                "-e", "tcp.flags", "-e", "tcp.len",
                "-e", "udp.srcport", "-e", "udp.dstport")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> lines = new ArrayList<>();
        for (String line : out.split("\n")) {
            int tab = line.indexOf('\t');
            if (tab > 0) { // frames without an encapsulation are pcapng's non-packet records
                lines.add(line.substring(tab + 1).replaceAll("\t+$", ""));
            }
        }
        return lines;
    }

    private static String ipFields(String line) {
        String[] f = line.split("\t", -1);
        String[] ip = new String[5];
        for (int i = 0; i < 5; i++) {
            ip[i] = i < f.length ? f[i] : "";
        }
        return String.join("\t", ip);
    }

    /** tshark's tcp.flags includes the four reserved bits of byte 12. */
    private static int reservedBits(DecodedPacket d) {
        return (d.data().get(java.lang.foreign.ValueLayout.JAVA_BYTE, d.transportOffset() + 12) & 0x0F) << 8;
    }

    /** Our decoding in tshark's field layout, first occurrence of each (outermost IP header). */
    static List<String> ours(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        DecodedPacket d = new DecodedPacket();
        try (PacketSource src = CaptureFile.open(file)) {
            while (src.next()) {
                PacketDecoder.decode(src.linkType(), src.data(), src.dataOffset(), src.captureLength(),
                        src.originalLength(), d);
                String[] f = new String[13];
                java.util.Arrays.fill(f, "");
                f[0] = !src.hasTimestamp() ? "" : String.format("%d.%09d", Math.floorDiv(src.timestampNanos(), 1_000_000_000L),
                        Math.floorMod(src.timestampNanos(), 1_000_000_000L));
                if (d.ipVersion() == 4) {
                    f[1] = d.src().toString();
                    f[2] = d.dst().toString();
                } else if (d.ipVersion() == 6) {
                    f[3] = d.src().toString();
                    f[4] = d.dst().toString();
                }
                if (d.isTcp()) {
                    f[5] = Integer.toString(d.srcPort());
                    f[6] = Integer.toString(d.dstPort());
                    f[7] = Long.toString(d.seq());
                    f[8] = Long.toString(d.ack());
                    f[9] = String.format("0x%04x", d.tcpFlags() | reservedBits(d));
                    f[10] = Integer.toString(d.payloadLength() + d.payloadMissing());
                } else if (d.isUdp()) {
                    f[11] = Integer.toString(d.srcPort());
                    f[12] = Integer.toString(d.dstPort());
                }
                boolean ipOnly = d.isIcmp() || d.problemLayer() == Layer.TRANSPORT;
                lines.add((ipOnly ? "~" : "") + String.join("\t", f).replaceAll("\t+$", ""));
            }
        }
        return lines;
    }
}
