package dev.conntrace.conntrack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conntrace.sys.IpAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FlowFilterTest {
    private static IpAddress ip(String s) {
        return IpAddress.parse(s);
    }

    private static Flow tcp(String src, int sport, String dst, int dport, String rsrc, int rsport, String rdst,
            int rdport) {
        return Flow.builder().original(Tuple.tcp(ip(src), sport, ip(dst), dport))
                .reply(Tuple.tcp(ip(rsrc), rsport, ip(rdst), rdport)).tcpState(TcpState.ESTABLISHED).build();
    }

    @ParameterizedTest
    @CsvSource({
        "10.1.2.3, 10.0.0.0/8, true",
        "11.1.2.3, 10.0.0.0/8, false",
        "10.1.2.3, 10.1.2.3, true",
        "10.1.2.4, 10.1.2.3, false",
        "10.1.2.3, 0.0.0.0/0, true",
        "10.1.2.3, ::/0, false",
        "2001:db8::1, 2001:db8::/32, true",
        "2001:db9::1, 2001:db8::/32, false",
        "2001:db8::1:2, 2001:db8::1:0/112, true",
        "2001:db8::2:2, 2001:db8::1:0/112, false",
        "2001:db8::2, 2001:db8::2, true",
        "2001:db8::3, 2001:db8::2, false",
        "2001:db8::1:4, 2001:db8::1:2/127, false",
        "2001:db8::1:3, 2001:db8::1:2/126, true",
        "2001:db8:0:1::1, 2001:db8::/64, false",
        "2001:db8::ffff:1, 2001:db8::/64, true",
    })
    void addressMatchesNetworks(String address, String network, boolean matches) {
        assertThat(AddressMatch.parse(network).test(ip(address))).isEqualTo(matches);
    }

    @Test
    void badNetworksNameTheText() {
        assertThatThrownBy(() -> AddressMatch.parse("10.0.0.0/33")).hasMessageContaining("10.0.0.0/33");
        assertThatThrownBy(() -> AddressMatch.parse("10.0.0.x")).hasMessageContaining("10.0.0.x");
    }

    @Test
    void tupleCriteriaSelectOnBothDirections() {
        Flow f = tcp("10.0.0.1", 1000, "10.0.0.2", 80, "10.0.0.2", 80, "10.0.0.1", 1000);
        FlowFilter src = FlowFilter.ALL.withOriginal(TupleMatch.ANY.withSource(AddressMatch.parse("10.0.0.1")));
        assertThat(src.test(f)).isTrue();
        assertThat(FlowFilter.ALL.withOriginal(TupleMatch.ANY.withSource(AddressMatch.parse("10.0.0.2"))).test(f))
                .isFalse();
        assertThat(FlowFilter.ALL.withReply(TupleMatch.ANY.withSource(AddressMatch.parse("10.0.0.2"))
                .withDestinationPort(1000)).test(f)).isTrue();
        assertThat(FlowFilter.ALL.withOriginal(TupleMatch.ANY.withDestinationPort(81)).test(f)).isFalse();
        assertThat(FlowFilter.ALL.withTcpState(TcpState.ESTABLISHED).test(f)).isTrue();
        assertThat(FlowFilter.ALL.withTcpState(TcpState.SYN_SENT).test(f)).isFalse();
        Flow icmp = Flow.builder().original(Tuple.icmp(ip("10.0.0.1"), ip("10.0.0.2"), 1, 8, 0)).build();
        assertThat(FlowFilter.ALL.withOriginal(TupleMatch.ANY.withDestinationPort(80)).test(icmp)).isFalse();
        assertThat(FlowFilter.ALL.withTcpState(TcpState.ESTABLISHED).test(icmp)).isFalse();
    }

    @Test
    void stateCriteriaMatchOnlyTheirProtocol() {
        Tuple o = Tuple.ports(L4Protocol.SCTP, ip("10.0.0.1"), 1, ip("10.0.0.2"), 2);
        Flow sctp = Flow.builder().original(o).protoInfo(new ProtoInfo.Sctp(SctpState.ESTABLISHED, 1, 2)).build();
        Flow tcp = tcp("10.0.0.1", 1, "10.0.0.2", 2, "10.0.0.2", 2, "10.0.0.1", 1);
        StateMatch established = StateMatch.parse(L4Protocol.SCTP, "established");
        assertThat(FlowFilter.ALL.withState(established).test(sctp)).isTrue();
        assertThat(FlowFilter.ALL.withState(established).test(tcp)).isFalse();
        assertThat(FlowFilter.ALL.withTcpState(TcpState.ESTABLISHED).test(sctp)).isFalse();
        assertThat(FlowFilter.ALL.withState(StateMatch.of(SctpState.COOKIE_WAIT)).test(sctp)).isFalse();
        Flow dccp = Flow.builder().original(Tuple.ports(L4Protocol.DCCP, ip("10.0.0.1"), 1, ip("10.0.0.2"), 2))
                .protoInfo(new ProtoInfo.Dccp(DccpState.PARTOPEN, 0, -1)).build();
        assertThat(StateMatch.parse(L4Protocol.DCCP, "PARTOPEN").test(dccp)).isTrue();
        assertThat(StateMatch.parse(L4Protocol.DCCP, "OPEN").test(dccp)).isFalse();
        assertThat(established.name()).isEqualTo("ESTABLISHED");
        assertThatThrownBy(() -> StateMatch.parse(L4Protocol.SCTP, "SYN_SENT")).hasMessageContaining("'SYN_SENT'");
        assertThatThrownBy(() -> StateMatch.parse(L4Protocol.UDP, "OPEN")).hasMessageContaining("udp");
    }

    @Test
    void natFollowsConntrackTools() {
        Flow plain = tcp("10.0.0.1", 1000, "10.0.0.2", 80, "10.0.0.2", 80, "10.0.0.1", 1000);
        Flow snat = tcp("10.0.0.1", 1000, "10.0.0.2", 80, "10.0.0.2", 80, "10.9.9.9", 1000);
        Flow spat = tcp("10.0.0.1", 1000, "10.0.0.2", 80, "10.0.0.2", 80, "10.0.0.1", 2000);
        Flow dnat = tcp("10.0.0.1", 1000, "10.0.0.2", 80, "10.0.0.7", 8080, "10.0.0.1", 1000);
        NatMatch src = new NatMatch(true, (NatAddress) null, false, null, false);
        NatMatch dst = new NatMatch(false, (NatAddress) null, true, null, false);
        assertThat(src.test(plain)).isFalse();
        assertThat(src.test(snat)).isTrue();
        assertThat(src.test(spat)).isTrue();
        assertThat(src.test(dnat)).isFalse();
        assertThat(dst.test(dnat)).isTrue();
        assertThat(dst.test(snat)).isFalse();
        assertThat(new NatMatch(true, ip("10.9.9.9"), false, null, false).test(snat)).isTrue();
        assertThat(new NatMatch(true, ip("10.9.9.8"), false, null, false).test(snat)).isFalse();
        assertThat(new NatMatch(true, ip("10.0.0.1"), false, null, false).test(spat)).isFalse();
        assertThat(new NatMatch(false, (IpAddress) null, true, ip("10.0.0.7"), false).test(dnat)).isTrue();
        assertThat(new NatMatch(true, (NatAddress) null, true, null, false).test(dnat)).isFalse();
        assertThat(new NatMatch(true, (NatAddress) null, true, null, true).test(dnat)).isTrue();
        assertThat(new NatMatch(true, (NatAddress) null, true, null, true).test(plain)).isFalse();
        assertThat(new NatMatch(false, (NatAddress) null, true, NatAddress.parse("10.0.0.7"), false).test(dnat)).isTrue();
        assertThat(new NatMatch(false, null, true, NatAddress.parse("10.0.0.7:8080"), false).test(dnat)).isTrue();
        assertThat(new NatMatch(false, null, true, NatAddress.parse("10.0.0.7:8081"), false).test(dnat)).isFalse();
        assertThat(new NatMatch(false, null, true, NatAddress.parse("10.0.0.7:8080"), false).test(snat)).isFalse();
        assertThat(NatAddress.parse("[2001:db8::1]:80")).isEqualTo(new NatAddress(ip("2001:db8::1"), 80));
        assertThat(NatAddress.parse("2001:db8::1")).isEqualTo(new NatAddress(ip("2001:db8::1"), NatAddress.ANY_PORT));
        assertThat(NatAddress.parse("10.0.0.7:0").port()).isZero();
        assertThat(NatAddress.parse("[::1]:5").toString()).isEqualTo("[::1]:5");
        assertThatThrownBy(() -> NatAddress.parse("10.0.0.7:x")).hasMessageContaining("'x'");
        assertThatThrownBy(() -> NatAddress.parse("[::1")).hasMessageContaining("']'");
        assertThatThrownBy(() -> NatAddress.parse(":80")).hasMessageContaining("':80'");
        assertThat(FlowFilter.ALL.withNat(dst).test(dnat)).isTrue();
    }

    @Test
    void directionZonesCountAMissingTupleZoneAsZero() {
        Flow orig5 = Flow.builder().original(Tuple.udp(ip("1.1.1.1"), 1, ip("2.2.2.2"), 2).withZone(5))
                .reply(Tuple.udp(ip("2.2.2.2"), 2, ip("1.1.1.1"), 1)).build();
        Flow both5 = Flow.builder().original(Tuple.udp(ip("1.1.1.1"), 1, ip("2.2.2.2"), 2))
                .reply(Tuple.udp(ip("2.2.2.2"), 2, ip("1.1.1.1"), 1)).zone(5).build();
        FlowFilter o5 = FlowFilter.ALL.withOriginal(TupleMatch.ANY.withZone(5));
        FlowFilter r0 = FlowFilter.ALL.withReply(TupleMatch.ANY.withZone(0));
        assertThat(o5.test(orig5)).isTrue();
        assertThat(o5.test(both5)).as("as conntrack --orig-zone: the tuple's own zone").isFalse();
        assertThat(r0.test(orig5)).isTrue();
        assertThat(FlowFilter.ALL.withOriginal(TupleMatch.ANY.withZone(0)).test(both5)).isTrue();
        assertThatThrownBy(() -> TupleMatch.ANY.withZone(65536)).hasMessageContaining("65536");
    }

    @Test
    void labelsMustAllBeSet() {
        Flow f = Flow.builder().original(Tuple.udp(ip("1.1.1.1"), 1, ip("2.2.2.2"), 2))
                .labels(LabelSet.of(0, 9, 127).toBitmap()).build();
        Flow none = Flow.builder().original(Tuple.udp(ip("1.1.1.1"), 1, ip("2.2.2.2"), 2)).build();
        assertThat(f.hasLabel(0) && f.hasLabel(9) && f.hasLabel(127)).isTrue();
        assertThat(f.hasLabel(8) || f.hasLabel(10) || f.hasLabel(126)).isFalse();
        assertThat(FlowFilter.ALL.withLabels(LabelSet.of(9, 127)).test(f)).isTrue();
        assertThat(FlowFilter.ALL.withLabels(LabelSet.of(9, 10)).test(f)).isFalse();
        assertThat(FlowFilter.ALL.withLabels(LabelSet.of(9)).test(none)).isFalse();
        assertThat(FlowFilter.ALL.test(none)).isTrue();
        assertThat(LabelSet.of(3, 64).toBitmap()).hasSize(16).containsExactly(8, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0);
        assertThat(LabelSet.of(3, 64, 100)).hasToString("{3,64,100}");
        assertThatThrownBy(() -> LabelSet.of(128)).hasMessageContaining("128");
    }
}
