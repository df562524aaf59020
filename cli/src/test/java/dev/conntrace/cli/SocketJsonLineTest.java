package dev.conntrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conntrace.sockets.AddressFamily;
import dev.conntrace.sockets.Protocol;
import dev.conntrace.sockets.SocketEntry;
import dev.conntrace.sockets.SocketState;
import dev.conntrace.sockets.TcpInfo;
import dev.conntrace.sockets.V6Only;
import dev.conntrace.sockets.process.CgroupInfo;
import dev.conntrace.sockets.process.ProcessInfo;
import dev.conntrace.sys.IpAddress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** {@link SocketJsonLine} against the Jackson writer it replaced ({@link JacksonSocketJson}), byte for byte. */
class SocketJsonLineTest {
    private static final int ROWS = 4000;

    /** Pieces of process text that need care: escapes, every control character, multi-byte UTF-8. */
    private static final String[] NASTY = {
        "", "\"", "\\", "\\\"", "\"\\", "/", "\u007f", "\u0080", "\u00ff", "é", "\u07ff", "\u0800", "€", "\u2028",
        "\u2029", "\ufffd", "\uffff", "\ud7ff", "\ue000", "😀", "\uD800\uDC00", "\uDBFF\uDFFF", "a b", "--x=\"y z\"",
        "C:\\path\\", "</script>", "\ud83d\ude00\ud83d\ude01", "\u00e9\u0301",
    };

    /** Numbers at the edges of digit counts, of int and long, and of the signed/unsigned divide. */
    private static long interesting(Random r) {
        return switch (r.nextInt(12)) {
            case 0 -> 0;
            case 1 -> r.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE;
            case 2 -> r.nextBoolean() ? Integer.MAX_VALUE + (long) r.nextInt(3) - 1 : Integer.MIN_VALUE + (long) r.nextInt(3) - 1;
            case 3 -> 0xFFFF_FFFFL + r.nextInt(3) - 1;
            case 4 -> -1 - r.nextInt(3);
            case 5 -> {
                long p = 1;
                for (int i = r.nextInt(19); i > 0; i--) {
                    p *= 10;
                }
                yield (p + r.nextInt(3) - 1) * (r.nextInt(4) == 0 ? -1 : 1);
            }
            case 6 -> r.nextLong();
            case 7 -> r.nextInt();
            case 8 -> r.nextInt(1000);
            case 9 -> Long.MIN_VALUE + r.nextInt(1000); // unsigned just above 2^63
            case 10 -> -1L - r.nextInt(1_000_000); // unsigned near 2^64
            default -> r.nextLong() >>> r.nextInt(64);
        };
    }

    private static String text(Random r) {
        int kind = r.nextInt(10);
        if (kind == 0) {
            return null;
        }
        if (kind == 1) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (int parts = 1 + r.nextInt(8); parts > 0; parts--) {
            switch (r.nextInt(5)) {
                case 0 -> sb.append(NASTY[r.nextInt(NASTY.length)]);
                case 1 -> sb.append((char) r.nextInt(0x20)); // a control character
                case 2 -> sb.appendCodePoint(0x10000 + r.nextInt(0x100000)); // any supplementary code point
                case 3 -> {
                    char c = (char) r.nextInt(0x10000);
                    sb.append(Character.isSurrogate(c) ? 'x' : c); // any BMP character but half a pair
                }
                default -> sb.append("/usr/bin/some-daemon --flag=").append(r.nextInt(100));
            }
        }
        return sb.toString();
    }

    private static ProcessInfo process(Random r) {
        return new ProcessInfo((int) interesting(r), r.nextInt(), text(r), text(r), text(r), r.nextInt(), text(r),
                r.nextLong(), Instant.EPOCH, new CgroupInfo(text(r), text(r), text(r), text(r)));
    }

    private static IpAddress address(Random r, AddressFamily family) {
        if (family == AddressFamily.INET) {
            return IpAddress.ipv4(r.nextInt(4) == 0 ? (int) interesting(r) : r.nextInt());
        }
        return switch (r.nextInt(6)) {
            case 0 -> IpAddress.ipv4(r.nextInt()).toV4Mapped();
            case 1 -> IpAddress.ipv6(0, r.nextInt(3)); // ::, ::1, ::2
            case 2 -> IpAddress.ipv6(r.nextInt(2), (0xFFFEL + r.nextInt(3)) << 32 | (r.nextInt() & 0xFFFF_FFFFL)); // near ::ffff:
            default -> {
                long[] halves = new long[2];
                for (int g = 0; g < 8; g++) { // groups zero half the time: runs of every length, ties
                    long group = r.nextBoolean() ? 0 : r.nextInt(0x10000) >>> r.nextInt(16); // 1 to 4 hex digits
                    halves[g / 4] |= group << (48 - 16 * (g % 4));
                }
                yield IpAddress.ipv6(halves[0], halves[1]);
            }
        };
    }

    private static TcpInfo tcp(Random r) {
        long[] v = new long[33];
        for (int i = 0; i < v.length; i++) {
            v[i] = interesting(r);
        }
        return new TcpInfo(r.nextInt(), r.nextInt(), r.nextInt(), r.nextInt(), r.nextInt(), r.nextInt(), r.nextInt(),
                r.nextInt(), r.nextInt(), v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11],
                v[12], v[13], v[14], v[15], v[16], v[17], v[18], v[19], v[20], v[21], v[22], v[23], v[24], v[25],
                v[26], v[27], v[28], v[29], v[30], v[31], v[32]);
    }

    private static SocketEntry socket(Random r) {
        AddressFamily family = r.nextBoolean() ? AddressFamily.INET : AddressFamily.INET6;
        SocketState state = r.nextInt(4) == 0 ? SocketState.of(r.nextInt(256)) : SocketState.of(1 + r.nextInt(12));
        long cookie = r.nextInt(3) == 0 ? -1 : interesting(r);
        return new SocketEntry(interesting(r), r.nextBoolean() ? Protocol.TCP : Protocol.UDP, family, state,
                address(r, family), r.nextInt(0x10000), address(r, family), r.nextInt(3) == 0 ? 0 : r.nextInt(0x10000),
                interesting(r), interesting(r), (int) interesting(r), interesting(r), cookie, r.nextInt(),
                V6Only.values()[r.nextInt(3)], r.nextLong(), r.nextInt(3) == 0 ? null : tcp(r));
    }

    /** Owners drawn from a small pool, as in a listing: the same objects again and again, in any order. */
    private static List<ProcessInfo> owners(Random r, List<ProcessInfo> pool) {
        int n = r.nextInt(5) == 0 ? 0 : r.nextInt(4) == 0 ? 2 + r.nextInt(3) : 1;
        List<ProcessInfo> owners = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            owners.add(pool.get(r.nextInt(pool.size())));
        }
        return owners;
    }

    private static List<ProcessInfo> pool(Random r) {
        List<ProcessInfo> pool = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            pool.add(process(r));
        }
        ProcessInfo twin = pool.getFirst(); // an equal process that is another object
        pool.add(new ProcessInfo(twin.pid(), twin.ppid(), twin.comm(), twin.cmdline(), twin.exe(), twin.uid(),
                twin.user(), twin.startTicks(), twin.startTime(), twin.cgroup()));
        return pool;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 20260101})
    void everyRowIsJacksonsBytes(long seed) throws IOException {
        Random r = new Random(seed);
        List<ProcessInfo> pool = pool(r);
        SocketJsonLine mine = new SocketJsonLine(1024); // small: rows make it grow
        ByteArrayOutputStream jacksonBytes = new ByteArrayOutputStream();
        try (JacksonSocketJson jackson = new JacksonSocketJson(jacksonBytes)) {
            for (int i = 0; i < ROWS; i++) {
                SocketEntry e = socket(r);
                List<ProcessInfo> owners = owners(r, pool);
                jackson.print(e, owners);
                jackson.flush();
                mine.append(e, owners);
                ByteArrayOutputStream row = new ByteArrayOutputStream();
                mine.writeTo(row);
                byte[] expected = jacksonBytes.toByteArray();
                jacksonBytes.reset();
                assertThat(new String(row.toByteArray(), StandardCharsets.UTF_8)).as("row %d of seed %d", i, seed)
                        .isEqualTo(new String(expected, StandardCharsets.UTF_8));
                assertThat(row.toByteArray()).as("row %d of seed %d", i, seed).isEqualTo(expected);
                assertThat(mine.length()).isZero();
            }
        }
    }

    @Test
    void runsOfRowsBetweenWritesAreJacksonsStream() throws IOException {
        Random r = new Random(7);
        List<ProcessInfo> pool = pool(r);
        SocketJsonLine mine = new SocketJsonLine(0);
        ByteArrayOutputStream mineOut = new ByteArrayOutputStream();
        ByteArrayOutputStream jacksonOut = new ByteArrayOutputStream();
        StringWriter jacksonText = new StringWriter();
        StringBuilder mineText = new StringBuilder();
        try (JacksonSocketJson jackson = new JacksonSocketJson(jacksonOut);
                JacksonSocketJson jacksonChars = new JacksonSocketJson(jacksonText)) {
            for (int i = 0; i < ROWS; i++) {
                SocketEntry e = socket(r);
                List<ProcessInfo> owners = owners(r, pool);
                jackson.print(e, owners);
                jacksonChars.print(e, owners);
                mine.append(e, owners);
                if (r.nextInt(50) == 0) { // write out after a run of rows, as text the odd time
                    if (r.nextBoolean()) {
                        mineOut.write(mineText.toString().getBytes(StandardCharsets.UTF_8));
                        mineText.setLength(0);
                        mine.writeTo(mineOut);
                    } else {
                        mineText.append(mine);
                        mine.clear();
                    }
                }
            }
        }
        mineOut.write(mineText.toString().getBytes(StandardCharsets.UTF_8));
        mine.writeTo(mineOut);
        assertThat(mineOut.toByteArray()).isEqualTo(jacksonOut.toByteArray());
        // the writer path (as in tests) decoded the same text
        assertThat(mineOut.toString(StandardCharsets.UTF_8)).isEqualTo(jacksonText.toString());
        assertThat(mineOut.toString(StandardCharsets.UTF_8).lines().count()).isEqualTo(ROWS);
    }

    @Test
    void fixedRowReadsAsExpected() {
        ProcessInfo p = new ProcessInfo(42, 1, "nginx", "nginx: \"master\"\tprocess\u0001 ☃😀", null, 0, "root",
                0, Instant.EPOCH, CgroupInfo.NONE);
        SocketEntry e = new SocketEntry(4026531840L, Protocol.TCP, AddressFamily.INET6, SocketState.LISTEN,
                IpAddress.parse("::ffff:10.0.0.1"), 443, IpAddress.parse("2001:db8::1"), 0, 0, 0, -2, 1234, -1, 0,
                V6Only.DUAL_STACK, 0, null);
        SocketJsonLine line = new SocketJsonLine(16);
        line.append(e, List.of(p, p));
        String process = "{\"pid\":42,\"comm\":\"nginx\",\"cmdline\":\"nginx: \\\"master\\\"\\tprocess\\u0001 ☃😀\","
                + "\"exe\":null,\"user\":\"root\",\"container\":null,\"unit\":null}";
        assertThat(line.toString()).isEqualTo("{\"netns\":4026531840,\"proto\":\"tcp\",\"family\":\"inet6\","
                + "\"state\":\"LISTEN\",\"local\":{\"ip\":\"::ffff:10.0.0.1\",\"port\":443},"
                + "\"remote\":{\"ip\":\"2001:db8::1\",\"port\":0},\"inode\":1234,\"uid\":4294967294,\"rx_queue\":0,"
                + "\"tx_queue\":0,\"v6only\":false,\"processes\":[" + process + "," + process + "]}\n");
    }

    @Test
    void loneSurrogateIsEscapedWhereJacksonGaveUp() throws IOException {
        ProcessInfo p = new ProcessInfo(1, 0, "a\uD83Db", "\uDE00", "x\uD83D", 0, "u", 0, Instant.EPOCH,
                CgroupInfo.NONE);
        SocketEntry e = new SocketEntry(0, Protocol.UDP, AddressFamily.INET, SocketState.CLOSE,
                IpAddress.parse("0.0.0.0"), 53, IpAddress.parse("0.0.0.0"), 0, 0, 0, 0, 1, 7, 0, V6Only.UNKNOWN, 0, null);
        SocketJsonLine line = new SocketJsonLine(1024);
        line.append(e, List.of(p));
        assertThat(line.toString()).contains("\"comm\":\"a\\uD83Db\",\"cmdline\":\"\\uDE00\",\"exe\":\"x\\uD83D\"");
        try (JacksonSocketJson jackson = new JacksonSocketJson(new ByteArrayOutputStream())) {
            assertThatThrownBy(() -> jackson.print(e, List.of(p))).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
