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
    void natFollowsConntrackTools() {
        Flow plain = tcp("10.0.0.1", 1000, "10.0.0.2", 80, "10.0.0.2", 80, "10.0.0.1", 1000);
        Flow snat = tcp("10.0.0.1", 1000, "10.0.0.2", 80, "10.0.0.2", 80, "10.9.9.9", 1000);
        Flow spat = tcp("10.0.0.1", 1000, "10.0.0.2", 80, "10.0.0.2", 80, "10.0.0.1", 2000);
        Flow dnat = tcp("10.0.0.1", 1000, "10.0.0.2", 80, "10.0.0.7", 8080, "10.0.0.1", 1000);
        NatMatch src = new NatMatch(true, null, false, null, false);
        NatMatch dst = new NatMatch(false, null, true, null, false);
        assertThat(src.test(plain)).isFalse();
        assertThat(src.test(snat)).isTrue();
        assertThat(src.test(spat)).isTrue();
        assertThat(src.test(dnat)).isFalse();
        assertThat(dst.test(dnat)).isTrue();
        assertThat(dst.test(snat)).isFalse();
        assertThat(new NatMatch(true, ip("10.9.9.9"), false, null, false).test(snat)).isTrue();
        assertThat(new NatMatch(true, ip("10.9.9.8"), false, null, false).test(snat)).isFalse();
        assertThat(new NatMatch(true, ip("10.0.0.1"), false, null, false).test(spat)).isFalse();
        assertThat(new NatMatch(false, null, true, ip("10.0.0.7"), false).test(dnat)).isTrue();
        assertThat(new NatMatch(true, null, true, null, false).test(dnat)).isFalse();
        assertThat(new NatMatch(true, null, true, null, true).test(dnat)).isTrue();
        assertThat(new NatMatch(true, null, true, null, true).test(plain)).isFalse();
        assertThat(FlowFilter.ALL.withNat(dst).test(dnat)).isTrue();
    }
}
