package dev.conntrace.conntrack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conntrace.sys.IpAddress;
import org.junit.jupiter.api.Test;

class ModelTest {

    private static final IpAddress A = IpAddress.parse("10.0.0.1");
    private static final IpAddress B = IpAddress.parse("10.0.0.2");

    @Test
    void statusNamesSetBitsAndKeepsUnknownOnes() {
        Status s = new Status(0b1110 | (1 << 20));
        assertThat(s.toString()).isEqualTo("SEEN_REPLY|ASSURED|CONFIRMED|0x100000");
        assertThat(s.isAssured()).isTrue();
        assertThat(s.isDying()).isFalse();
        assertThat(s.unknownBits()).isEqualTo(1 << 20);
        assertThat(Status.NONE.toString()).isEqualTo("NONE");
        assertThat(Status.parse("assured|seen_reply")).isEqualTo(Status.of(Status.Bit.ASSURED, Status.Bit.SEEN_REPLY));
        assertThat(Status.of(Status.Bit.HW_OFFLOAD).bits()).isEqualTo(1 << 15);
        assertThatThrownBy(() -> Status.parse("ASSURED|BOGUS")).hasMessageContaining("'BOGUS'");
    }

    @Test
    void openEnumsKeepUnknownCodes() {
        assertThat(TcpState.of(3)).isSameAs(TcpState.ESTABLISHED);
        assertThat(TcpState.of(3).name()).isEqualTo("ESTABLISHED");
        assertThat(TcpState.of(77).name()).isEqualTo("unknown(77)");
        assertThat(TcpState.of(77).isKnown()).isFalse();
        assertThat(TcpState.parse("time_wait")).isEqualTo(TcpState.TIME_WAIT);
        assertThat(SctpState.of(4)).isEqualTo(SctpState.ESTABLISHED);
        assertThat(SctpState.of(12).toString()).isEqualTo("unknown(12)");
        assertThat(DccpState.of(4).name()).isEqualTo("OPEN");
        assertThat(L4Protocol.of(6)).isSameAs(L4Protocol.TCP);
        assertThat(L4Protocol.of(250).name()).isEqualTo("unknown(250)");
        assertThat(L4Protocol.parse("icmpv6")).isEqualTo(L4Protocol.ICMPV6);
        assertThat(L4Protocol.parse("47")).isEqualTo(L4Protocol.GRE);
        assertThatThrownBy(() -> L4Protocol.parse("tcpx")).hasMessageContaining("'tcpx'");
        assertThatThrownBy(() -> TcpState.parse("OPEN")).hasMessageContaining("'OPEN'");
    }

    @Test
    void tupleValidatesRangesAndFamilies() {
        assertThatThrownBy(() -> Tuple.tcp(A, 70000, B, 1)).hasMessageContaining("sourcePort 70000");
        assertThatThrownBy(() -> Tuple.tcp(A, 1, IpAddress.parse("::1"), 1)).hasMessageContaining("mixes");
        assertThatThrownBy(() -> Tuple.tcp(A, 1, B, 1).withZone(65536)).hasMessageContaining("zone");
        Tuple t = Tuple.tcp(A, 1, B, 2);
        assertThat(t.hasZone()).isFalse();
        assertThat(t.withZone(3).zone()).isEqualTo(3);
        assertThat(t.withZone(3).sameEndpoints(t)).isTrue();
        assertThat(t.withZone(3)).isNotEqualTo(t);
        assertThat(Tuple.icmp(IpAddress.parse("::1"), IpAddress.parse("::2"), 1, 128, 0).protocol())
                .isEqualTo(L4Protocol.ICMPV6);
    }

    @Test
    void flowDistinguishesAbsentFromZeroAndCopiesLabels() {
        byte[] labels = {1, 0, 0, 0};
        Flow f = Flow.builder().original(Tuple.udp(A, 1, B, 2)).mark(0).labels(labels).build();
        assertThat(f.hasMark()).isTrue();
        assertThat(f.hasZone()).isFalse();
        assertThat(f.hasTimeout()).isFalse();
        labels[0] = 0;
        assertThat(f.hasLabel(0)).isTrue();
        assertThat(f.hasLabel(1)).isFalse();
        assertThat(f.hasLabel(1000)).isFalse();
        byte[] copy = f.labels();
        copy[0] = 0;
        assertThat(f.hasLabel(0)).isTrue();
        assertThat(f.toBuilder().build()).isEqualTo(f);
        assertThat(f.toBuilder().mark(1).build()).isNotEqualTo(f);
    }

    @Test
    void builderResetsAndRejectsMixedFamilies() {
        Flow.Builder b = Flow.builder().original(Tuple.udp(A, 1, B, 2)).zone(9).timeout(5);
        b.reset();
        Flow empty = b.build();
        assertThat(empty.original()).isNull();
        assertThat(empty.hasZone()).isFalse();
        assertThat(empty.hasTimeout()).isFalse();
        IpAddress six = IpAddress.parse("::1");
        assertThatThrownBy(() -> Flow.builder().original(Tuple.udp(A, 1, B, 2)).reply(Tuple.udp(six, 1, six, 2)).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Flow.builder().zone(-2)).hasMessageContaining("zone -2");
    }

    @Test
    void natShowsAsReplyThatDoesNotMirrorOriginal() {
        IpAddress pub = IpAddress.parse("192.0.2.1");
        Flow plain = Flow.builder().original(Tuple.tcp(A, 1000, B, 80)).reply(Tuple.tcp(B, 80, A, 1000)).build();
        Flow snat = Flow.builder().original(Tuple.tcp(A, 1000, B, 80)).reply(Tuple.tcp(B, 80, pub, 1000)).build();
        Flow portOnly = Flow.builder().original(Tuple.tcp(A, 1000, B, 80)).reply(Tuple.tcp(B, 80, A, 2000)).build();
        assertThat(plain.isNatted()).isFalse();
        assertThat(snat.isNatted()).isTrue();
        assertThat(portOnly.isNatted()).isTrue();
    }
}
