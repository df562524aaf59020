package dev.conntrace.sockets.diag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.netlink.DecodeException;
import dev.conntrace.netlink.MessageCursor;
import dev.conntrace.sockets.Protocol;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Seeded byte mutations of the captured dumps (Jazzer cannot instrument Java 25 class files yet):
 * decoding either succeeds or raises {@link DecodeException}; nothing else escapes.
 */
class InetDiagDecoderMutationTest {
    @ParameterizedTest
    @CsvSource({"tcp4.hex, 1", "tcp4.hex, 2", "tcp6.hex, 3", "tcp6.hex, 4", "udp4.hex, 5", "udp4.hex, 6"})
    void mutationsDecodeOrFailCleanly(String vector, long seed) throws IOException {
        byte[] original;
        try (InputStream in = getClass().getResourceAsStream("/diag/" + vector)) {
            original = HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
        }
        Random r = new Random(seed);
        int decoded = 0;
        int rejected = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(original.length, 8);
            InetDiagDecoder d = new InetDiagDecoder();
            MessageCursor c = new MessageCursor();
            for (int i = 0; i < 3_000; i++) {
                MemorySegment.copy(MemorySegment.ofArray(original), 0, s, 0, original.length);
                int edits = 1 + r.nextInt(3);
                for (int k = 0; k < edits; k++) {
                    s.set(java.lang.foreign.ValueLayout.JAVA_BYTE, r.nextInt(original.length), (byte) r.nextInt(256));
                }
                long len = r.nextInt(8) == 0 ? r.nextInt(original.length + 1) : original.length;
                c.reset(s, 0, len);
                try {
                    while (c.next()) {
                        if (c.message().type() == InetDiag.SOCK_DIAG_BY_FAMILY) {
                            d.decode(c.message(), 0, Protocol.TCP);
                            decoded++;
                        }
                    }
                } catch (DecodeException expected) {
                    rejected++;
                }
            }
        }
        assertThat(decoded).isPositive();
        assertThat(rejected).isPositive();
    }
}
