package dev.conntrace.reassembly;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SeqTest {
    @ParameterizedTest
    @CsvSource({
        "0, 0, 0",
        "5, 3, 2",
        "3, 5, -2",
        "0, 4294967295, 1",
        "4294967295, 0, -1",
        "10, 4294967290, 16",
        "4294967290, 10, -16",
        "2147483647, 0, 2147483647",
        "2147483648, 0, -2147483648",
    })
    void diffIsSignedModulo2to32(long a, long b, int expected) {
        assertThat(Seq.diff(a, b)).isEqualTo(expected);
        assertThat(Seq.before(a, b)).isEqualTo(expected < 0);
    }

    @ParameterizedTest
    @CsvSource({"4294967295, 1, 0", "4294967290, 10, 4", "0, -1, 4294967295", "100, 5, 105"})
    void addWraps(long s, long n, long expected) {
        assertThat(Seq.add(s, n)).isEqualTo(expected);
    }
}
