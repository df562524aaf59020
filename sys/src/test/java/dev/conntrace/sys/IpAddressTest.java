package dev.conntrace.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {

    @ParameterizedTest
    @CsvSource({
        "10.0.0.1, 10.0.0.1",
        "255.255.255.255, 255.255.255.255",
        "::, ::",
        "::1, ::1",
        "2001:DB8:0:0:0:0:0:1, 2001:db8::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "fe80::, fe80::",
        "1:0:0:2:0:0:0:3, 1:0:0:2::3",
        "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8",
        "1:0:3:4:5:6:7:8, 1:0:3:4:5:6:7:8",
        "::ffff:192.0.2.1, ::ffff:192.0.2.1",
        "::ffff:c000:201, ::ffff:192.0.2.1",
        "64:ff9b::192.0.2.33, 64:ff9b::c000:221",
    })
    void parsesAndFormatsCanonically(String text, String canonical) {
        assertThat(IpAddress.parse(text)).hasToString(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.4 ", "a.b.c.d",
        ":::", "1::2::3", "1:2:3:4:5:6:7:8:9", ":1::", "1:", "12345::", "g::1", "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3"})
    void rejectsInvalidText(String text) {
        assertThatThrownBy(() -> IpAddress.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @Test
    void agreesWithInetAddressOnRandomAddresses() throws Exception {
        Random random = new Random(42);
        for (int i = 0; i < 2_000; i++) {
            byte[] b = new byte[random.nextBoolean() ? 4 : 16];
            random.nextBytes(b);
            if (b.length == 16 && random.nextInt(4) == 0) {
                java.util.Arrays.fill(b, 0, 8 + random.nextInt(8), (byte) 0);
            }
            IpAddress a = IpAddress.of(b, 0, b.length);
            InetAddress expected = InetAddress.getByAddress(b);
            assertThat(IpAddress.parse(a.toString())).isEqualTo(a);
            assertThat(InetAddress.getByName(a.toString())).isEqualTo(expected);
            byte[] back = new byte[b.length];
            a.write(back, 0);
            assertThat(back).isEqualTo(b);
        }
    }

    @Test
    void convertsBetweenV4AndV4Mapped() {
        IpAddress v4 = IpAddress.parse("192.0.2.1");
        IpAddress mapped = v4.toV4Mapped();
        assertThat(mapped).isEqualTo(IpAddress.parse("::ffff:192.0.2.1")).isNotEqualTo(v4);
        assertThat(mapped.isV4Mapped()).isTrue();
        assertThat(mapped.fromV4Mapped()).isEqualTo(v4);
        assertThat(v4.v4()).isEqualTo(0xC0000201);
        assertThat(IpAddress.parse("127.8.0.1").isLoopback()).isTrue();
        assertThat(IpAddress.parse("::1").isLoopback()).isTrue();
        assertThat(IpAddress.parse("::").isAny()).isTrue();
    }

    @Test
    void writesItsTextAsAsciiBytesInPlace() {
        Random random = new Random(5);
        for (int n = 0; n < 2000; n++) {
            // few distinct groups, so that zero runs of every length and position come up
            long high = 0;
            long low = 0;
            for (int g = 0; g < 4; g++) {
                high = high << 16 | (random.nextInt(3) == 0 ? random.nextInt(0x10000) : 0);
                low = low << 16 | (random.nextInt(3) == 0 ? random.nextInt(0x10000) : 0);
            }
            IpAddress a = switch (n % 3) {
                case 0 -> IpAddress.ipv4(random.nextInt());
                case 1 -> IpAddress.ipv6(0, 0xFFFF_0000_0000L | (low & 0xFFFF_FFFFL));
                default -> IpAddress.ipv6(high, low);
            };
            byte[] buf = new byte[3 + IpAddress.MAX_TEXT_BYTES + 1];
            java.util.Arrays.fill(buf, (byte) '#');
            int end = a.writeAscii(buf, 3);
            assertThat(new String(buf, 3, end - 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo(a.toString());
            assertThat(IpAddress.parse(a.toString())).isEqualTo(a);
            assertThat(buf[2]).isEqualTo((byte) '#');
            assertThat(buf[end]).isEqualTo((byte) '#');
        }
    }
}
