package dev.conntrace.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AsciiDecimalTest {

    private static String written(long v, int at) {
        byte[] buf = new byte[at + AsciiDecimal.MAX_DIGITS + 1];
        int end = AsciiDecimal.write(buf, at, v);
        return new String(buf, at, end - at, StandardCharsets.US_ASCII);
    }

    @Test
    void writesWhatLongToStringWritesAtEveryDigitCount() {
        List<Long> values = new ArrayList<>(List.of(0L, 9L, 10L, 99L, 100L, (long) Integer.MAX_VALUE,
                Integer.MAX_VALUE + 1L, 9_999_999_999L, 10_000_000_000L, Long.MAX_VALUE));
        for (long p = 1; p > 0 && p <= Long.MAX_VALUE / 10; p *= 10) {
            values.addAll(List.of(p - 1, p, p + 1, 10 * p - 1));
        }
        Random r = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            values.add((r.nextLong() >>> 1) >>> r.nextInt(63));
        }
        for (long v : values) {
            assertThat(written(v, 3)).as("%d", v).isEqualTo(Long.toString(v));
            if (v <= Integer.MAX_VALUE) {
                byte[] buf = new byte[12];
                int end = AsciiDecimal.write(buf, 1, (int) v);
                assertThat(new String(buf, 1, end - 1, StandardCharsets.US_ASCII)).isEqualTo(Long.toString(v));
            }
        }
    }

    @Test
    void writesUnsignedValuesAsLongToUnsignedString() {
        Random r = new Random(11);
        List<Long> values = new ArrayList<>(List.of(0L, 1L, Long.MAX_VALUE, Long.MIN_VALUE, -1L, -10L, -11L));
        for (int i = 0; i < 10_000; i++) {
            values.add(r.nextLong());
        }
        for (long v : values) {
            byte[] buf = new byte[2 + AsciiDecimal.MAX_UNSIGNED_DIGITS];
            int end = AsciiDecimal.writeUnsigned(buf, 2, v);
            assertThat(new String(buf, 2, end - 2, StandardCharsets.US_ASCII)).as("%d", v)
                    .isEqualTo(Long.toUnsignedString(v));
        }
    }

    @Test
    void refusesNegativeValues() {
        assertThatThrownBy(() -> AsciiDecimal.write(new byte[32], 0, -1L)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AsciiDecimal.write(new byte[32], 0, Integer.MIN_VALUE))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
