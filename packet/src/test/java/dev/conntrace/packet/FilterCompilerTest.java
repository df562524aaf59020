package dev.conntrace.packet;

import static dev.conntrace.packet.Frames.DST4;
import static dev.conntrace.packet.Frames.DST6;
import static dev.conntrace.packet.Frames.SRC4;
import static dev.conntrace.packet.Frames.SRC6;
import static dev.conntrace.packet.Frames.be16;
import static dev.conntrace.packet.Frames.be32;
import static dev.conntrace.packet.Frames.bytes;
import static dev.conntrace.packet.Frames.cat;
import static dev.conntrace.packet.Frames.ethernet;
import static dev.conntrace.packet.Frames.ipv4;
import static dev.conntrace.packet.Frames.ipv6;
import static dev.conntrace.packet.Frames.tcp;
import static dev.conntrace.packet.Frames.udp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conntrace.sys.testing.Prerequisites;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Filters compiled by the installed libpcap, run here over crafted packets: each expression must keep
 * exactly the packets its meaning selects. Programs libpcap writes for the same expression are also
 * checked against the {@code tcpdump -ddd} text it printed for them (the hand-checked one in
 * {@link BpfProgramTest}).
 */
class FilterCompilerTest {
    private static final byte[] DATA = bytes('h', 'i');

    /** Named Ethernet frames covering the distinctions the expressions draw. */
    private static Map<String, byte[]> frames() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("tcp4 40000->7", ethernet(0x0800, ipv4(SRC4, DST4, 6, tcp(40000, 7, 1, 0, TcpFlags.SYN, 512, new byte[0], DATA))));
        m.put("tcp4 7->40000", ethernet(0x0800, ipv4(DST4, SRC4, 6, tcp(7, 40000, 1, 0, TcpFlags.ACK, 512, new byte[0], DATA))));
        m.put("tcp4 40000->80", ethernet(0x0800, ipv4(SRC4, DST4, 6, tcp(40000, 80, 1, 0, TcpFlags.ACK, 512, new byte[0], DATA))));
        m.put("udp4 40000->7", ethernet(0x0800, ipv4(SRC4, DST4, 17, udp(40000, 7, DATA))));
        m.put("udp4 5353->53", ethernet(0x0800, ipv4(SRC4, DST4, 17, udp(5353, 53, DATA))));
        m.put("tcp6 40000->7", ethernet(0x86DD, ipv6(SRC6, DST6, 6, new byte[0], 6,
                tcp(40000, 7, 1, 0, TcpFlags.ACK, 512, new byte[0], DATA), false)));
        m.put("udp6 40000->53", ethernet(0x86DD, ipv6(SRC6, DST6, 17, new byte[0], 17, udp(40000, 53, DATA), false)));
        // a non-first fragment whose payload starts with bytes that look like port 7: never "port 7"
        byte[] fakeTcp = cat(be16(7), be16(7), be32(0), be32(0), bytes(0x50, 0x10), be16(512), be32(0));
        m.put("tcp4 fragment offset 8", ethernet(0x0800, ipv4(SRC4, DST4, 6, new byte[0], 1, fakeTcp)));
        m.put("arp", ethernet(0x0806, new byte[28]));
        return m;
    }

    private static FilterCompiler compiler() {
        var c = FilterCompiler.load();
        Prerequisites.require(c.isPresent(), "libpcap (libpcap.so.1 or libpcap.so.0.8) is installed");
        return c.orElseThrow();
    }

    private static Map<String, Boolean> verdicts(BpfProgram p) {
        Map<String, Boolean> out = new LinkedHashMap<>();
        frames().forEach((name, f) -> out.put(name, p.accepts(MemorySegment.ofArray(f), 0, f.length, f.length)));
        return out;
    }

    private static Map<String, Boolean> only(String... accepted) {
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (String name : frames().keySet()) {
            out.put(name, java.util.List.of(accepted).contains(name));
        }
        return out;
    }

    @Test
    void compiledProgramsSelectWhatTheExpressionSays() {
        FilterCompiler c = compiler();
        int eth = LinkType.ETHERNET;
        assertThat(verdicts(c.compile("tcp port 7", eth, 262144))).isEqualTo(only("tcp4 40000->7", "tcp4 7->40000", "tcp6 40000->7"));
        assertThat(verdicts(c.compile("port 7", eth, 262144)))
                .isEqualTo(only("tcp4 40000->7", "tcp4 7->40000", "tcp6 40000->7", "udp4 40000->7"));
        assertThat(verdicts(c.compile("udp dst port 53", eth, 262144))).isEqualTo(only("udp4 5353->53", "udp6 40000->53"));
        assertThat(verdicts(c.compile("ip6", eth, 262144))).isEqualTo(only("tcp6 40000->7", "udp6 40000->53"));
        assertThat(verdicts(c.compile("src host 10.0.0.1 and tcp", eth, 262144)))
                .isEqualTo(only("tcp4 40000->7", "tcp4 40000->80", "tcp4 fragment offset 8"));
        assertThat(verdicts(c.compile("tcp[tcpflags] & tcp-syn != 0", eth, 262144))).isEqualTo(only("tcp4 40000->7"));
        assertThat(verdicts(c.compile("arp or (ip and ip[6:2] & 0x1fff != 0)", eth, 262144)))
                .isEqualTo(only("tcp4 fragment offset 8", "arp"));
        assertThat(verdicts(c.compile("not ip and not ip6", eth, 262144))).isEqualTo(only("arp"));
        assertThat(verdicts(c.compile("", eth, 262144)).values()).containsOnly(true);
    }

    @Test
    void rawIpLinkTypeHasNoEthernetHeader() {
        byte[] tcp4 = ipv4(SRC4, DST4, 6, tcp(40000, 7, 1, 0, TcpFlags.ACK, 512, new byte[0], DATA));
        byte[] udp4 = ipv4(SRC4, DST4, 17, udp(40000, 7, DATA));
        BpfProgram p = compiler().compile("tcp port 7", LinkType.RAW, 262144);
        assertThat(p.accepts(MemorySegment.ofArray(tcp4), 0, tcp4.length, tcp4.length)).isTrue();
        assertThat(p.accepts(MemorySegment.ofArray(udp4), 0, udp4.length, udp4.length)).isFalse();
    }

    @Test
    void matchesTheProgramTcpdumpPrints() {
        // BpfProgramTest's program is tcpdump -ddd 'udp dst port 5353' restricted to IPv4: libpcap's program
        // for 'ip and udp dst port 5353' is the same instruction for instruction
        BpfProgram ours = compiler().compile("ip and udp dst port 5353", LinkType.ETHERNET, 262144);
        assertThat(ours).isEqualTo(BpfProgram.parse(BpfProgramTest.udpDstPort(5353)));
    }

    @Test
    void snaplenIsTheAcceptedLengthAndCapsPrograms() {
        BpfProgram p = compiler().compile("tcp", LinkType.ETHERNET, 96);
        assertThat(p.toString()).contains("6 0 0 96\n");
        BpfProgram capped = BpfProgram.parse(BpfProgramTest.udpDstPort(53)).cappedAt(128);
        assertThat(capped.toString()).contains("6 0 0 128\n").contains("6 0 0 0\n").doesNotContain("262144");
    }

    @Test
    void aSyntaxErrorCarriesLibpcapsMessage() {
        FilterCompiler c = compiler();
        assertThatThrownBy(() -> c.compile("tcp port", LinkType.ETHERNET, 262144))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("syntax error");
        assertThatThrownBy(() -> c.compile("port 99999", LinkType.ETHERNET, 262144))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("99999");
        assertThatThrownBy(() -> c.compile("tcp\0", LinkType.ETHERNET, 262144)).hasMessageContaining("NUL");
    }

    @Test
    void interpreterRejectsWhatTheKernelWouldRefuse() {
        byte[] f = frames().get("tcp4 40000->7");
        MemorySegment s = MemorySegment.ofArray(f);
        // ld [100000]; ret #1 -> the load is outside the packet: reject
        assertThat(BpfProgram.parse("2\n32 0 0 100000\n6 0 0 1\n").accepts(s, 0, f.length, f.length)).isFalse();
        // ja +5 past the end -> reject
        assertThat(BpfProgram.parse("2\n5 0 0 5\n6 0 0 1\n").accepts(s, 0, f.length, f.length)).isFalse();
        // div #0 -> reject; ld #7; div #0
        assertThat(BpfProgram.parse("3\n0 0 0 7\n52 0 0 0\n6 0 0 1\n").accepts(s, 0, f.length, f.length)).isFalse();
        // st M[16] -> reject
        assertThat(BpfProgram.parse("2\n2 0 0 16\n6 0 0 1\n").accepts(s, 0, f.length, f.length)).isFalse();
        // ld len; st M[3]; ldx M[3]; txa; ret a -> the wire length
        assertThat(BpfProgram.parse("5\n128 0 0 0\n2 0 0 3\n97 0 0 3\n135 0 0 0\n22 0 0 0\n")
                .accepts(s, 0, f.length, f.length)).isTrue();
        // the same over a zero wire length returns 0: reject
        assertThat(BpfProgram.parse("5\n128 0 0 0\n2 0 0 3\n97 0 0 3\n135 0 0 0\n22 0 0 0\n")
                .accepts(s, 0, f.length, 0)).isFalse();
        // no return at the end -> reject
        assertThat(BpfProgram.parse("1\n0 0 0 7\n").accepts(s, 0, f.length, f.length)).isFalse();
    }
}
