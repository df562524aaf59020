package dev.conntrace.sockets.proc;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.conntrace.sockets.AddressFamily;
import dev.conntrace.sockets.Protocol;
import dev.conntrace.sockets.SocketEntry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteOrder;

/**
 * Arbitrary bytes as /proc/net rows and tables: a row parses or is reported malformed with a
 * reason; a table delivers exactly the rows it counts. Anything thrown is a finding.
 *
 * <p>Without {@code JAZZER_FUZZ} this replays the seeds in
 * {@code src/test/resources/dev/conntrace/sockets/proc/ProcNetParserFuzzTestInputs/}; the
 * {@code fuzz} profile in {@code sockets/pom.xml} fuzzes it for {@code maxDuration}.
 */
class ProcNetParserFuzzTest {
    @FuzzTest(maxDuration = "20s")
    void rowsParseOrAreMalformed(byte[] data) throws IOException {
        ProcNetParser p = new ProcNetParser(ByteOrder.LITTLE_ENDIAN);
        for (AddressFamily f : AddressFamily.values()) {
            SocketEntry e = p.parse(data, 0, data.length, 0, Protocol.TCP, f);
            if (e == null && (p.lastError() == null || p.lastError().isBlank())) {
                throw new AssertionError("malformed row without a reason");
            }
            if (e != null && e.localAddress().v6() != (f == AddressFamily.INET6)) {
                throw new AssertionError("address family mismatch: " + e);
            }
        }
        long[] delivered = new long[1];
        ProcNetStats s = new ProcNetReader(p).read(new ByteArrayInputStream(data), 0, Protocol.UDP,
                AddressFamily.INET6, e -> delivered[0]++);
        if (s.rows() != delivered[0]) {
            throw new AssertionError("counted " + s.rows() + " rows, delivered " + delivered[0]);
        }
    }
}
