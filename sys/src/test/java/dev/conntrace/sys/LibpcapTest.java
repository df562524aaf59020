package dev.conntrace.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conntrace.sys.testing.Prerequisites;
import org.junit.jupiter.api.Test;

class LibpcapTest {
    private static Libpcap libpcap() {
        var l = Libpcap.load();
        Prerequisites.require(l.isPresent(), "libpcap (libpcap.so.1 or libpcap.so.0.8) is installed");
        return l.orElseThrow();
    }

    @Test
    void compilesForEthernetAndRawIp() {
        Libpcap l = libpcap();
        assertThat(l.libraryName()).startsWith("libpcap.so");
        long[] eth = l.compile("ip", 1, 262144); // DLT_EN10MB: ldh [12]; jeq #0x800; ret #262144; ret #0
        assertThat(eth).containsExactly(0x28L << 48 | 12, 0x15L << 48 | 1L << 32 | 0x800, 0x06L << 48 | 262144, 0x06L << 48);
        long[] raw = l.compile("", 12, 100); // DLT_RAW, everything: ret #100
        assertThat(raw).containsExactly(0x06L << 48 | 100);
    }

    @Test
    void errorsCarryLibpcapsMessage() {
        Libpcap l = libpcap();
        assertThatThrownBy(() -> l.compile("tcp port", 1, 262144)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("syntax error");
        assertThatThrownBy(() -> l.compile("ether host 1:2:3:4:5:6", 12, 262144))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ethernet addresses");
        // a failed compilation leaves nothing behind: the next one works
        assertThat(l.compile("udp", 1, 262144)).isNotEmpty();
    }
}
