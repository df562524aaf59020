package dev.conntrace.packet.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conntrace.sys.IpAddress;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsMessageTest {

    /** A response exercising every parsed type, compression, an OPT record and an unknown type. */
    static byte[] response() {
        DnsBytes b = new DnsBytes().header(0xBEEF, 0x8183, 1, 9, 1, 1); // QR RD RA, rcode 3
        int qname = b.size();
        b.name("www.example.com").u16(1).u16(1);
        int example = qname + 4; // "example.com" inside the question name
        // CNAME www -> web.example.com (compressed suffix)
        b.pointer(qname).rr(5, 1, 300, 6).u8(3).raw('w', 'e', 'b').pointer(example);
        int web = b.size() - 6;
        b.pointer(web).rr(1, 1, 60, 4).raw(192, 0, 2, 7);
        b.pointer(web).rr(28, 1, 60, 16).raw(HexFormat.of().parseHex("20010db8000000000000000000000042"));
        b.pointer(example).rr(15, 1, 3600, 4).u16(10).pointer(web);
        b.pointer(example).rr(16, 1, 3600, 9).u8(3).raw('a', '"', 'b').u8(4).raw('x', ' ', 0x01, 'y');
        b.pointer(example).rr(33, 1, 10, 8).u16(1).u16(2).u16(443).pointer(web);
        b.pointer(example).rr(65, 1, 10, 7).u16(1).u8(0).raw(0, 1, 0, 0); // HTTPS 1 . alpn(empty)
        b.pointer(example).rr(12, 1, 10, 2).pointer(web); // PTR
        b.pointer(example).rr(65280, 1, 10, 3).raw(1, 2, 3); // unknown type
        // authority: SOA
        b.pointer(example).rr(6, 1, 900, 2 + 6 + 20).pointer(example).u8(4).raw('h', 'o', 's', 't').u8(0)
                .u32(2024010101L).u32(7200).u32(3600).u32(1209600).u32(0xFFFFFFFFL);
        // additional: OPT, UDP 1232, extended rcode 1 (-> 16 | 3 = 19 with the header's 3), DO set
        b.u8(0).rr(41, 1232, (1L << 24) | 0x8000, 4).raw(0, 10, 0, 0);
        return b.bytes();
    }

    @Test
    void parsesEverySectionAndType() throws DnsFormatException {
        byte[] bytes = response();
        DnsMessage m = DnsMessage.parse(bytes);
        assertThat(m.id()).isEqualTo(0xBEEF);
        assertThat(m.isResponse()).isTrue();
        assertThat(m.recursionDesired()).isTrue();
        assertThat(m.recursionAvailable()).isTrue();
        assertThat(m.authoritative()).isFalse();
        assertThat(m.truncatedFlag()).isFalse();
        assertThat(m.opcode()).isZero();
        assertThat(m.rcode()).isEqualTo((1 << 4) | 3);
        assertThat(m.questions()).containsExactly(new DnsQuestion("www.example.com", 1, 1));
        List<String> answers = m.answers().stream().map(DnsRecord::toString).toList();
        assertThat(answers).containsExactly(
                "www.example.com 300 CNAME web.example.com",
                "web.example.com 60 A 192.0.2.7",
                "web.example.com 60 AAAA 2001:db8::42",
                "example.com 3600 MX 10 web.example.com",
                "example.com 3600 TXT \"a\\\"b\" \"x \\001y\"",
                "example.com 10 SRV 1 2 443 web.example.com",
                "example.com 10 HTTPS 1 . \\# 4 00010000",
                "example.com 10 PTR web.example.com",
                "example.com 10 TYPE65280 \\# 3 010203");
        assertThat(m.answers().get(1).data()).isEqualTo(new DnsData.Address(IpAddress.parse("192.0.2.7")));
        assertThat(m.authorities()).singleElement().satisfies(r -> assertThat(r.data()).isEqualTo(
                new DnsData.Soa("example.com", "host", 2024010101L, 7200, 3600, 1209600, 0xFFFFFFFFL)));
        DnsData.Opt opt = m.opt();
        assertThat(opt).isNotNull();
        assertThat(opt.udpPayloadSize()).isEqualTo(1232);
        assertThat(opt.extendedRcode()).isEqualTo(1);
        assertThat(opt.version()).isZero();
        assertThat(opt.dnssecOk()).isTrue();
        assertThat(opt.options()).containsExactly(0, 10, 0, 0);
        assertThat(m.additionals().getFirst().name()).isEqualTo(".");
        // the same from a segment at an offset
        byte[] padded = new byte[bytes.length + 9];
        System.arraycopy(bytes, 0, padded, 5, bytes.length);
        assertThat(DnsMessage.parse(MemorySegment.ofArray(padded), 5, bytes.length).answers()).hasSize(9);
        assertThat(DnsMessage.parse(padded, 5, bytes.length).toString()).isEqualTo(m.toString());
    }

    @Test
    void everyShorterPrefixIsShortNotCorrupt() {
        byte[] bytes = response();
        for (int cut = 0; cut < bytes.length; cut++) {
            int c = cut;
            assertThatThrownBy(() -> DnsMessage.parse(bytes, 0, c)).as("cut at %d", cut)
                    .isInstanceOfSatisfying(DnsFormatException.class, e -> {
                        assertThat(e.offset()).isBetween(0, c);
                        // a cut inside RDATA whose length is already known can also look corrupt,
                        // but never at the header or in a name
                        if (c < 12) {
                            assertThat(e.truncated()).isTrue();
                        }
                    });
        }
    }

    @Test
    void pointerToItselfIsCorrupt() {
        byte[] b = new DnsBytes().header(1, 0, 1, 0, 0, 0).pointer(12).u16(1).u16(1).bytes();
        assertCorrupt(b, 12, "does not point backwards");
    }

    @Test
    void forwardPointerIsCorrupt() {
        byte[] b = new DnsBytes().header(1, 0, 1, 0, 0, 0).pointer(20).u16(1).u16(1).name("a").bytes();
        assertCorrupt(b, 12, "does not point backwards");
    }

    @Test
    void labelPointerLoopEndsAtTheNameLengthLimit() {
        // at 12: label "abc" then a pointer back to 12: each lap adds 4 bytes to the name
        byte[] b = new DnsBytes().header(1, 0, 1, 0, 0, 0).u8(3).raw('a', 'b', 'c').pointer(12).u16(1).u16(1)
                .bytes();
        assertCorrupt(b, 12, "longer than 255");
    }

    @Test
    void reservedLabelTypesAreCorrupt() {
        byte[] b = new DnsBytes().header(1, 0, 1, 0, 0, 0).u8(0x41).raw(new byte[70]).bytes();
        assertCorrupt(b, 12, "label type 0x40");
    }

    @Test
    void wrongAddressLengthIsCorrupt() {
        byte[] b = new DnsBytes().header(1, 0x8000, 0, 1, 0, 0).name("a").rr(1, 1, 1, 5).raw(1, 2, 3, 4, 5).bytes();
        assertCorrupt(b, 12 + 3 + 10, "A RDATA of 5 bytes");
    }

    @Test
    void nameRunningPastItsRdataIsCorrupt() {
        byte[] b = new DnsBytes().header(1, 0x8000, 0, 1, 0, 0).name("a").rr(5, 1, 1, 2).name("xy").bytes();
        assertThatThrownBy(() -> DnsMessage.parse(b)).isInstanceOf(DnsFormatException.class);
    }

    @Test
    void countsLargerThanTheMessageAreShort() {
        byte[] b = new DnsBytes().header(1, 0, 65535, 65535, 0, 0).name("a").u16(1).u16(1).bytes();
        assertThatThrownBy(() -> DnsMessage.parse(b)).isInstanceOfSatisfying(DnsFormatException.class,
                e -> assertThat(e.truncated()).isTrue());
    }

    @Test
    void unknownRcodesTypesAndClassesAreCarried() throws DnsFormatException {
        byte[] b = new DnsBytes().header(7, 0x800F | (6 << 11), 1, 0, 0, 0).name("x").u16(999).u16(3).bytes();
        DnsMessage m = DnsMessage.parse(b);
        assertThat(m.rcode()).isEqualTo(15);
        assertThat(DnsRcode.name(m.rcode())).isEqualTo("RCODE15");
        assertThat(m.opcode()).isEqualTo(6);
        assertThat(m.questions().getFirst().type()).isEqualTo(999);
        assertThat(DnsType.name(999)).isEqualTo("TYPE999");
        assertThat(m.questions().getFirst().dnsClass()).isEqualTo(3);
    }

    @Test
    void oversizedMessageIsRejected() {
        assertThatThrownBy(() -> DnsMessage.parse(new byte[70_000])).isInstanceOf(DnsFormatException.class)
                .hasMessageContaining("exceeds");
    }

    @Test
    void tcpFramingSplitsMessagesAndKeepsTheTail() throws DnsFormatException {
        byte[] one = response();
        byte[] two = new DnsBytes().header(2, 0, 1, 0, 0, 0).name("b.example").u16(28).u16(1).bytes();
        byte[] stream = new DnsBytes().u16(one.length).raw(one).u16(two.length).raw(two).u16(50).raw(1, 2, 3)
                .bytes();
        for (int len = 0; len <= stream.length; len++) {
            List<DnsMessage> got = new ArrayList<>();
            int consumed = DnsTcpFraming.parseFrames(stream, 0, len, got::add);
            int expected = len >= 4 + one.length + two.length ? 2 : len >= 2 + one.length ? 1 : 0;
            assertThat(got).as("length %d", len).hasSize(expected);
            assertThat(consumed).isEqualTo(expected == 2 ? 4 + one.length + two.length : expected == 1 ? 2 + one.length : 0);
        }
        assertThat(DnsTcpFraming.frameLength(stream, 0, 1)).isEqualTo(-1);
        assertThat(DnsTcpFraming.frameLength(stream, 0, stream.length)).isEqualTo(2 + one.length);
    }

    private static void assertCorrupt(byte[] b, int offset, String text) {
        assertThatThrownBy(() -> DnsMessage.parse(b)).isInstanceOfSatisfying(DnsFormatException.class, e -> {
            assertThat(e.truncated()).isFalse();
            assertThat(e.offset()).isEqualTo(offset);
            assertThat(e.getMessage()).contains(text);
        });
    }

    @Test
    void namesEscapeSpecialCharacters() throws DnsFormatException {
        byte[] b = new DnsBytes().header(1, 0, 1, 0, 0, 0).u8(4).raw('a', '.', 'b', 0x7F).u8(0).u16(1).u16(1)
                .bytes();
        assertThat(DnsMessage.parse(b).questions().getFirst().name()).isEqualTo("a\\.b\\127");
    }
}
