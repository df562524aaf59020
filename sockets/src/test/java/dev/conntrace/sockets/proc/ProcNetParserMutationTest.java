package dev.conntrace.sockets.proc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.sockets.AddressFamily;
import dev.conntrace.sockets.Protocol;
import dev.conntrace.sockets.SocketEntry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded mutations of real rows (Jazzer cannot instrument Java 25 class files yet): every
 * mutation parses or is reported malformed with a reason; nothing throws.
 */
class ProcNetParserMutationTest {
    private static final String ROW4 = "   1: 0100007F:9504 0100007F:1F90 05 00000000:00000000 03:0000175C 00000000     0"
            + "        0 0 3 00000000313ff892";
    private static final String ROW6 = "   2: 0000000000000000FFFF00000100007F:1F90 0000000000000000FFFF00000100007F:9504 08"
            + " 00000000:00000001 00:00000000 00000000     0        0 19144 1 00000000727d0191 20 4 0 10 -1";
    private static final byte[] ALPHABET = "0123456789ABCDEFabcdefxX:[] -\t\n\u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1);

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void mutatedRowsNeverThrow(long seed) throws IOException {
        Random r = new Random(seed);
        ProcNetParser p = new ProcNetParser(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 5_000; i++) {
            AddressFamily f = r.nextBoolean() ? AddressFamily.INET : AddressFamily.INET6;
            byte[] b = (f == AddressFamily.INET ? ROW4 : ROW6).getBytes(StandardCharsets.ISO_8859_1);
            int edits = 1 + r.nextInt(4);
            for (int k = 0; k < edits; k++) {
                b[r.nextInt(b.length)] = ALPHABET[r.nextInt(ALPHABET.length)];
            }
            int len = r.nextInt(4) == 0 ? r.nextInt(b.length + 1) : b.length;
            SocketEntry e = p.parse(b, 0, len, 0, Protocol.TCP, f);
            if (e == null) {
                assertThat(p.lastError()).isNotBlank();
            } else {
                assertThat(e.localAddress().v6()).isEqualTo(f == AddressFamily.INET6);
            }
            long[] rows = new long[1];
            ProcNetStats s = new ProcNetReader(p).read(new ByteArrayInputStream(b, 0, len), 0, Protocol.TCP, f,
                    x -> rows[0]++);
            assertThat(s.rows()).isEqualTo(rows[0]);
        }
    }
}
