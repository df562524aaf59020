package dev.conntrace.sockets.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProcStatTest {
    private static ProcStat parse(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return ProcStat.parse(b, b.length);
    }

    @Test
    void readsPpidAndStartTime() {
        ProcStat s = parse("6763 (cat) R 6758 6758 4938 0 -1 4194304 102 0 0 0 0 0 0 0 20 0 1 0 49920 3133440 390"
                + " 18446744073709551615 94291787911168\n");
        assertThat(s).isEqualTo(new ProcStat("cat", 6758, 49920));
    }

    @Test
    void commWithSpacesAndParentheses() {
        ProcStat s = parse("42 (a) b (c)) S 1 42 42 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 777 0 0\n");
        assertThat(s).isEqualTo(new ProcStat("a) b (c)", 1, 777));
    }

    @Test
    void truncatedOrGarbageIsNull() {
        assertThat(parse("42 (x) S 1 2 3")).isNull();
        assertThat(parse("no parens here")).isNull();
        assertThat(parse("42 (x) S z 42 42 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 777")).isNull();
    }

    @Test
    void socketLinkNumbers() {
        assertThat(ProcFiles.bracketNumber("socket:[12345]", "socket:[")).isEqualTo(12345);
        assertThat(ProcFiles.bracketNumber("pipe:[12345]", "socket:[")).isEqualTo(-1);
        assertThat(ProcFiles.bracketNumber("socket:[]", "socket:[")).isEqualTo(-1);
        assertThat(ProcFiles.bracketNumber("socket:[12a]", "socket:[")).isEqualTo(-1);
        assertThat(ProcFiles.bracketNumber("socket:[123", "socket:[")).isEqualTo(-1);
        assertThat(ProcFiles.bracketNumber("/dev/null", "socket:[")).isEqualTo(-1);
        assertThat(ProcFiles.bracketNumber("net:[4026531840]", "net:[")).isEqualTo(4026531840L);
    }
}
