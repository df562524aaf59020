package dev.conntrace.conntrack.wire;

import static dev.conntrace.conntrack.wire.Ctnetlink.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.conntrack.DecodeCounters;
import dev.conntrace.conntrack.Expect;
import dev.conntrace.conntrack.L4Protocol;
import dev.conntrace.conntrack.Tuple;
import dev.conntrace.netlink.MessageBuilder;
import dev.conntrace.netlink.netfilter.Nfgenmsg;
import dev.conntrace.netlink.netfilter.Nfnetlink;
import dev.conntrace.sys.IpAddress;
import org.junit.jupiter.api.Test;

/** Expectations as the kernel lays them out (ctnetlink_exp_dump_expect), built here attribute by attribute. */
class ExpectDecoderTest {

    private static final IpAddress CLIENT = IpAddress.parse("192.0.2.10");
    private static final IpAddress SERVER = IpAddress.parse("198.51.100.20");

    private static byte[] ftpExpectation(boolean withTuple) {
        MessageBuilder b = MessageBuilder.allocate(1024);
        b.begin(Nfnetlink.type(NFNL_SUBSYS_CTNETLINK_EXP, IPCTNL_MSG_EXP_NEW), 0);
        Nfgenmsg.put(b, 2, 0);
        RequestWriter.tuple(b, CTA_EXPECT_MASTER, Tuple.tcp(CLIENT, 40000, SERVER, 21));
        if (withTuple) {
            RequestWriter.tuple(b, CTA_EXPECT_TUPLE, Tuple.tcp(CLIENT, 0, SERVER, 50123));
        }
        // The mask: all-ones addresses and destination port, source port wildcard; the kernel puts
        // the expected tuple's protocol number in it (ctnetlink_exp_dump_mask).
        RequestWriter.tuple(b, CTA_EXPECT_MASK, new Tuple(IpAddress.parse("255.255.255.255"),
                IpAddress.parse("255.255.255.255"), L4Protocol.TCP, 0, 0xFFFF, 0, 0, 0, Tuple.NO_ZONE));
        b.addBe32(CTA_EXPECT_TIMEOUT, 299);
        b.addBe32(CTA_EXPECT_ID, 0xCAFEBABE);
        b.addString(CTA_EXPECT_HELP_NAME, "ftp");
        b.addBe16(CTA_EXPECT_ZONE, 0);
        b.addBe32(CTA_EXPECT_FLAGS, ConntrackCommon.NF_CT_EXPECT_PERMANENT | ConntrackCommon.NF_CT_EXPECT_USERSPACE);
        b.addBe32(CTA_EXPECT_CLASS, 0);
        int nat = b.beginNested(CTA_EXPECT_NAT);
        b.addBe32(CTA_EXPECT_NAT_DIR, 1);
        RequestWriter.tuple(b, CTA_EXPECT_NAT_TUPLE, Tuple.tcp(IpAddress.parse("203.0.113.1"), 0, SERVER, 50123));
        b.endNested(nat);
        b.addString(CTA_EXPECT_FN, "ftp");
        b.addBe32(99, 1); // an attribute from a future kernel
        b.finish();
        return b.toByteArray();
    }

    @Test
    void decodesEveryExpectationAttribute() throws Exception {
        DecodeCounters counters = new DecodeCounters();
        Expect e = new ExpectDecoder(counters).decode(Golden.message(ftpExpectation(true)));
        assertThat(e).isNotNull();
        assertThat(e.master()).isEqualTo(Tuple.tcp(CLIENT, 40000, SERVER, 21));
        assertThat(e.tuple()).isEqualTo(Tuple.tcp(CLIENT, 0, SERVER, 50123));
        assertThat(e.mask().destinationPort()).isEqualTo(0xFFFF);
        assertThat(e.mask().sourcePort()).isZero();
        assertThat(e.timeout()).isEqualTo(299);
        assertThat(e.id()).isEqualTo(0xCAFEBABEL);
        assertThat(e.helper()).isEqualTo("ftp");
        assertThat(e.function()).isEqualTo("ftp");
        assertThat(e.zone()).isZero();
        assertThat(e.isPermanent()).isTrue();
        assertThat(e.isUserspace()).isTrue();
        assertThat(e.isInactive()).isFalse();
        assertThat(e.natDirection()).isEqualTo(1);
        assertThat(e.natTuple().source()).isEqualTo(IpAddress.parse("203.0.113.1"));
        assertThat(counters.unknownAttributes()).isEqualTo(1);
        assertThat(counters.decoded()).isEqualTo(1);
    }

    @Test
    void anExpectationWithoutItsTupleIsMalformed() throws Exception {
        DecodeCounters counters = new DecodeCounters();
        assertThat(new ExpectDecoder(counters).decode(Golden.message(ftpExpectation(false)))).isNull();
        assertThat(counters.malformed()).isEqualTo(1);
        assertThat(counters.lastMalformed()).contains("CTA_EXPECT_TUPLE");
    }

    @Test
    void truncatedExpectationsNeverThrow() throws Exception {
        byte[] whole = ftpExpectation(true);
        DecodeCounters counters = new DecodeCounters();
        ExpectDecoder d = new ExpectDecoder(counters);
        for (int len = 20; len < whole.length; len++) {
            byte[] m = java.util.Arrays.copyOf(whole, len);
            m[0] = (byte) len;
            m[1] = (byte) (len >> 8);
            d.decode(Golden.message(m));
        }
        assertThat(counters.decoded() + counters.malformed()).isEqualTo(whole.length - 20);
        assertThat(counters.malformed()).isPositive();
    }
}
