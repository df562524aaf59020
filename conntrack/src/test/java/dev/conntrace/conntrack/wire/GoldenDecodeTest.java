package dev.conntrace.conntrack.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conntrace.conntrack.CpuStats;
import dev.conntrace.conntrack.DecodeCounters;
import dev.conntrace.conntrack.Flow;
import dev.conntrace.conntrack.FlowFilter;
import dev.conntrace.conntrack.L4Protocol;
import dev.conntrace.conntrack.ProtoInfo;
import dev.conntrace.conntrack.SctpState;
import dev.conntrace.conntrack.Status;
import dev.conntrace.conntrack.TcpState;
import dev.conntrace.conntrack.text.ConntrackText;
import dev.conntrace.netlink.DecodeException;
import dev.conntrace.sys.IpAddress;
import java.lang.foreign.MemorySegment;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Real kernel messages (captured by golden/capture.sh) decode to what conntrack printed for them. */
class GoldenDecodeTest {

    private static final Golden DUMP = Golden.load("dump-mixed.txt");
    private static final ConntrackText.Options EXTENDED_ID =
            new ConntrackText.Options(true, true, false, null, ZoneId.of("UTC"));

    private static List<Flow> decodeAll(DecodeCounters counters) throws DecodeException {
        FlowDecoder d = new FlowDecoder(counters);
        List<Flow> flows = new ArrayList<>();
        for (byte[] m : DUMP.messages()) {
            flows.add(d.decode(Golden.message(m)));
        }
        return flows;
    }

    @Test
    void everyMessageFormatsToTheLineConntrackPrinted() throws Exception {
        assertThat(DUMP.messages()).hasSizeGreaterThanOrEqualTo(15).hasSameSizeAs(DUMP.lines());
        DecodeCounters counters = new DecodeCounters();
        List<Flow> flows = decodeAll(counters);
        for (int i = 0; i < flows.size(); i++) {
            assertThat(flows.get(i)).as("message %d", i).isNotNull();
            assertThat(ConntrackText.format(flows.get(i), EXTENDED_ID, DUMP.now())).isEqualTo(DUMP.lines().get(i));
        }
        assertThat(counters.malformed()).isZero();
        assertThat(counters.unknownAttributes()).isZero();
        assertThat(counters.decoded()).isEqualTo(flows.size());
    }

    private static Flow find(List<Flow> flows, L4Protocol p, int dport) {
        return flows.stream().filter(f -> f.protocol().equals(p) && f.original().destinationPort() == dport)
                .findFirst().orElseThrow(() -> new AssertionError("no " + p + " flow to port " + dport));
    }

    @Test
    void fieldsConntrackDoesNotPrintAreDecodedToo() throws Exception {
        List<Flow> flows = decodeAll(new DecodeCounters());
        Flow tcp = find(flows, L4Protocol.TCP, 8080);
        ProtoInfo.Tcp info = (ProtoInfo.Tcp) tcp.protoInfo();
        assertThat(info.state()).isEqualTo(TcpState.TIME_WAIT);
        assertThat(info.windowScaleOriginal()).isBetween(0, 14);
        assertThat(info.flagsOriginal() & ConntrackProto.IP_CT_TCP_FLAG_SACK_PERM).isNotZero();
        assertThat(tcp.countersOriginal().packets()).isGreaterThanOrEqualTo(3);
        assertThat(tcp.countersOriginal().bytes()).isGreaterThan(1000);
        assertThat(tcp.timestamps().startNanos() / 1_000_000_000L).isBetween(DUMP.now() - 60, DUMP.now());
        assertThat(tcp.status().isAssured()).isTrue();

        Flow dnat = find(flows, L4Protocol.UDP, 7777);
        assertThat(dnat.status().isDestinationNat()).isTrue();
        assertThat(dnat.isNatted()).isTrue();
        assertThat(dnat.reply().source()).isEqualTo(IpAddress.parse("127.0.0.5"));
        assertThat(dnat.reply().sourcePort()).isEqualTo(8888);
        Flow snat = find(flows, L4Protocol.UDP, 6666);
        assertThat(snat.status().isSourceNat()).isTrue();
        assertThat(snat.reply().destination()).isEqualTo(IpAddress.parse("127.0.0.9"));

        assertThat(find(flows, L4Protocol.UDP, 4242).mark()).isEqualTo(42);
        Flow labelled = find(flows, L4Protocol.UDP, 4343);
        assertThat(labelled.labels()).isNotNull();
        assertThat(labelled.hasLabel(3)).isTrue();
        assertThat(labelled.hasLabel(2)).isFalse();

        Flow sctp = find(flows, L4Protocol.SCTP, 2);
        // conntrack-tools converts --orig-vtag to network order twice, so the kernel holds the
        // byte-swapped value; the wire is big-endian and we report what the kernel holds.
        assertThat(sctp.protoInfo()).isEqualTo(
                new ProtoInfo.Sctp(SctpState.ESTABLISHED, Integer.reverseBytes(5), Integer.reverseBytes(6)));
        Flow zoned = find(flows, L4Protocol.UDP, 53);
        assertThat(zoned.zone()).isEqualTo(3);
        assertThat(zoned.mark()).isEqualTo(7);
        assertThat(flows.stream().filter(f -> f.original().hasZone()).map(f -> f.original().zone())).containsExactly(4);
        assertThat(flows.stream().filter(f -> f.reply().hasZone()).map(f -> f.reply().zone())).containsExactly(5);
        assertThat(flows.stream().filter(Flow::isIpv6).count()).isEqualTo(4);
        assertThat(flows).allMatch(f -> f.hasId() && f.hasUse() && f.hasStatus() && f.hasTimeout());
        assertThat(flows).allMatch(f -> f.status().has(Status.Bit.CONFIRMED));
    }

    @Test
    void everyPrefixOfTheAttributesIsTruncatedOrCorruptOrAShorterFlow() throws Exception {
        for (byte[] m : DUMP.messages()) {
            MemorySegment seg = MemorySegment.ofArray(m);
            FlowDecoder d = new FlowDecoder(new DecodeCounters());
            int attrs = 16 + FlowDecoder.NFGENMSG_SIZE;
            Flow whole = d.decodeAttributes(seg, attrs, m.length - attrs);
            for (int len = 0; len < m.length - attrs; len++) {
                try {
                    Flow f = d.decodeAttributes(seg, attrs, len);
                    assertThat(f.original()).isEqualTo(whole.original());
                } catch (DecodeException e) {
                    // Cut inside an attribute: truncated; cut before the original tuple: corrupt (missing).
                    assertThat(e.what()).isNotBlank();
                    if (e.kind() == DecodeException.Kind.CORRUPT) {
                        assertThat(e.what()).contains("CTA_TUPLE_ORIG");
                    }
                }
            }
        }
    }

    @Test
    void damagedLengthsAreCountedAsMalformedNeverThrown() throws Exception {
        DecodeCounters counters = new DecodeCounters();
        FlowDecoder d = new FlowDecoder(counters);
        long seen = 0;
        for (byte[] original : DUMP.messages()) {
            for (int at = 20; at + 1 < original.length; at += 2) {
                for (int v : new int[] {0, 1, 3, 5, 0xFF, 0xFFFF}) {
                    byte[] m = original.clone();
                    m[at] = (byte) v;
                    m[at + 1] = (byte) (v >> 8);
                    d.decode(Golden.message(m));
                    seen++;
                }
            }
        }
        assertThat(counters.decoded() + counters.malformed()).isEqualTo(seen);
        assertThat(counters.malformed()).isPositive();
        assertThat(counters.lastMalformed()).isNotBlank();
    }

    @Test
    void unknownAttributesAreCountedAndSkipped() throws Exception {
        byte[] m = DUMP.messages().get(0);
        byte[] extra = new byte[m.length + 8];
        System.arraycopy(m, 0, extra, 0, m.length);
        // Append attribute type 99, 4-byte value.
        extra[m.length] = 8;
        extra[m.length + 2] = 99;
        extra[0] = (byte) extra.length;
        extra[1] = (byte) (extra.length >> 8);
        DecodeCounters counters = new DecodeCounters();
        Flow f = new FlowDecoder(counters).decode(Golden.message(extra));
        Flow plain = new FlowDecoder(new DecodeCounters()).decode(Golden.message(m));
        assertThat(f).isEqualTo(plain);
        assertThat(counters.unknownAttributes()).isEqualTo(1);
    }

    @Test
    void anOldKernelsSecmarkIsKept() throws Exception {
        byte[] m = DUMP.messages().get(0);
        byte[] extra = new byte[m.length + 8];
        System.arraycopy(m, 0, extra, 0, m.length);
        // CTA_SECMARK (17), big-endian 0x01020304.
        extra[m.length] = 8;
        extra[m.length + 2] = 17;
        extra[m.length + 4] = 1;
        extra[m.length + 5] = 2;
        extra[m.length + 6] = 3;
        extra[m.length + 7] = 4;
        extra[0] = (byte) extra.length;
        extra[1] = (byte) (extra.length >> 8);
        Flow f = new FlowDecoder(new DecodeCounters()).decode(Golden.message(extra));
        Flow plain = new FlowDecoder(new DecodeCounters()).decode(Golden.message(m));
        assertThat(plain.hasSecmark()).isFalse();
        assertThat(f.hasSecmark()).isTrue();
        assertThat(f.secmark()).isEqualTo(0x01020304);
        assertThat(FlowFilter.ALL.withSecmark(0x01020304).test(f)).isTrue();
        assertThat(FlowFilter.ALL.withSecmark(0x01020304).test(plain)).isFalse();
        assertThat(FlowFilter.ALL.withSecmark(5).test(f)).isFalse();
    }

    @Test
    void missingOriginalTupleIsCorrupt() {
        byte[] onlyMark = {8, 0, 8, 0, 0, 0, 0, 7};
        assertThatThrownBy(() -> new FlowDecoder(new DecodeCounters())
                .decodeAttributes(MemorySegment.ofArray(onlyMark), 0, onlyMark.length))
                .isInstanceOf(DecodeException.class)
                .hasMessageContaining("CTA_TUPLE_ORIG");
    }

    @Test
    void expectationsFormatToTheLineConntrackPrinted() throws Exception {
        Golden exp = Golden.load("expect.txt");
        assertThat(exp.messages()).isNotEmpty().hasSameSizeAs(exp.lines());
        DecodeCounters counters = new DecodeCounters();
        ExpectDecoder d = new ExpectDecoder(counters);
        for (int i = 0; i < exp.messages().size(); i++) {
            var e = d.decode(Golden.message(exp.messages().get(i)));
            assertThat(e).isNotNull();
            assertThat(dev.conntrace.conntrack.text.ExpectText.format(e)).isEqualTo(exp.lines().get(i));
            assertThat(e.helper()).isEqualTo("ftp");
            assertThat(e.master().destinationPort()).isEqualTo(21);
            assertThat(e.tuple().destinationPort()).isEqualTo(195 * 256 + 80);
        }
        assertThat(counters.unknownAttributes()).isZero();
    }

    @Test
    void statisticsDecodeToWhatConntrackPrinted() throws Exception {
        Golden cpu = Golden.load("stats-cpu.txt");
        StatsDecoder d = new StatsDecoder(new DecodeCounters());
        assertThat(cpu.messages()).isNotEmpty().hasSameSizeAs(cpu.lines());
        for (int i = 0; i < cpu.messages().size(); i++) {
            CpuStats s = d.cpu(Golden.message(cpu.messages().get(i)));
            assertThat(s.cpu()).isEqualTo(i);
            assertThat(s.toConntrackLine()).isEqualTo(cpu.lines().get(i));
        }
        Golden count = Golden.load("stats-global.txt");
        var table = d.table(Golden.message(count.messages().getFirst()));
        assertThat(table.entries()).isEqualTo(Long.parseLong(count.lines().getFirst().strip()));
        assertThat(table.maxEntries()).isPositive();
    }
}
