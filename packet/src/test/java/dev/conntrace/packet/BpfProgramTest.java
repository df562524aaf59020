package dev.conntrace.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BpfProgramTest {
    /** {@code tcpdump -ddd udp dst port P} for Ethernet, IPv4 only, hand-written. */
    static String udpDstPort(int port) {
        return """
                11
                40 0 0 12
                21 0 8 2048
                48 0 0 23
                21 0 6 17
                40 0 0 20
                69 4 0 8191
                177 0 0 14
                72 0 0 16
                21 0 1 %d
                6 0 0 262144
                6 0 0 0
                """.formatted(port);
    }

    @Test
    void parsesTcpdumpDddText() {
        BpfProgram p = BpfProgram.parse(udpDstPort(5353));
        assertThat(p.length()).isEqualTo(11);
        assertThat(p.code(1)).isEqualTo(21);
        assertThat(p.jf(1)).isEqualTo(8);
        assertThat(p.jt(5)).isEqualTo(4);
        assertThat(p.k(8)).isEqualTo(5353);
        assertThat(p.k(9)).isEqualTo(262144);
        assertThat(BpfProgram.parse(p.toString())).isEqualTo(p);
        assertThat(BpfProgram.parse("1\n6 0 0 4294967295\n").k(0)).isEqualTo(-1);
    }

    @Test
    void badTextNamesTheLine() {
        assertThatThrownBy(() -> BpfProgram.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> BpfProgram.parse("x\n6 0 0 0")).hasMessageContaining("line 1");
        assertThatThrownBy(() -> BpfProgram.parse("2\n6 0 0 0")).hasMessageContaining("announces 2");
        assertThatThrownBy(() -> BpfProgram.parse("1\n6 0 0")).hasMessageContaining("line 2");
        assertThatThrownBy(() -> BpfProgram.parse("1\n6 256 0 0")).hasMessageContaining("line 2");
        assertThatThrownBy(() -> BpfProgram.parse("1\n70000 0 0 0")).hasMessageContaining("line 2");
        assertThatThrownBy(() -> BpfProgram.parse("0\n")).hasMessageContaining("count 0");
    }
}
