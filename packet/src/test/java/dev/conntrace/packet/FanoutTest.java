package dev.conntrace.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FanoutTest {
    @ParameterizedTest
    @CsvSource({
        "0, 0, HASH, false, 0x00000000",
        "7, 7, HASH, false, 0x00000007",
        "7:hash, 7, HASH, false, 0x00000007",
        "65535:lb, 65535, LB, false, 0x0001FFFF",
        "12:cpu, 12, CPU, false, 0x0002000C",
        "12:rollover, 12, ROLLOVER, false, 0x0003000C",
        "12:random, 12, RANDOM, false, 0x0004000C",
        "12:QM, 12, QM, false, 0x0005000C",
        "'3:hash,defrag', 3, HASH, true, 0x80000003",
        "'3:lb,defrag', 3, LB, true, 0x80010003",
    })
    void parsesIdModeAndFlagIntoTheSocketOption(String spec, int group, Fanout.Mode mode, boolean defrag, String option) {
        Fanout f = Fanout.parse(spec);
        assertThat(f).isEqualTo(new Fanout(group, mode, defrag));
        assertThat(f.socketOption()).isEqualTo(Integer.parseUnsignedInt(option.substring(2), 16));
        assertThat(Fanout.parse(f.toString())).isEqualTo(f);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-1", "65536", "99999999999", "x", "7x", " 7", ":hash"})
    void aBadIdIsNamed(String spec) {
        String id = spec.contains(":") ? spec.substring(0, spec.indexOf(':')) : spec;
        assertThatThrownBy(() -> Fanout.parse(spec)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("fanout group '" + id + "' is not a number in 0..65535");
    }

    @ParameterizedTest
    @ValueSource(strings = {"7:", "7:round", "7:cbpf", "7:hash:lb"})
    void aBadModeIsNamed(String spec) {
        assertThatThrownBy(() -> Fanout.parse(spec)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown fanout mode '" + spec.substring(2) + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"7:hash,", "7:hash,frag", "7:lb,defrag,x"})
    void aBadFlagIsNamed(String spec) {
        assertThatThrownBy(() -> Fanout.parse(spec)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown fanout flag '");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 65536})
    void theGroupIsChecked(int group) {
        assertThatThrownBy(() -> new Fanout(group, Fanout.Mode.LB, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(group));
    }
}
