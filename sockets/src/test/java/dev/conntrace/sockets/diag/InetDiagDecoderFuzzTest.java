package dev.conntrace.sockets.diag;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.conntrace.netlink.DecodeException;
import dev.conntrace.netlink.MessageCursor;
import dev.conntrace.sockets.Protocol;
import dev.conntrace.sockets.SocketEntry;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Arbitrary bytes as sock_diag reply datagrams: each SOCK_DIAG_BY_FAMILY message decodes or
 * raises {@link DecodeException}; anything else is a finding.
 *
 * <p>Without {@code JAZZER_FUZZ} this replays the seeds (captured replies) in
 * {@code src/test/resources/dev/conntrace/sockets/diag/InetDiagDecoderFuzzTestInputs/}.
 */
class InetDiagDecoderFuzzTest {
    @FuzzTest(maxDuration = "20s")
    void repliesDecodeOrFailWithDecodeException(byte[] data) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(Math.max(1, data.length), 8);
            MemorySegment.copy(MemorySegment.ofArray(data), 0, s, 0, data.length);
            MessageCursor c = new MessageCursor().reset(s, 0, data.length);
            InetDiagDecoder d = new InetDiagDecoder();
            try {
                while (c.next()) {
                    if (c.message().type() == InetDiag.SOCK_DIAG_BY_FAMILY) {
                        SocketEntry e = d.decode(c.message(), 0, Protocol.TCP);
                        if (e.localAddress().v6() != (e.family() == dev.conntrace.sockets.AddressFamily.INET6)) {
                            throw new AssertionError("address family mismatch: " + e);
                        }
                    }
                }
            } catch (DecodeException expected) {
                // reported, never anything else
            }
        }
    }
}
