package dev.conntrace.sockets.proc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.sockets.AddressFamily;
import dev.conntrace.sockets.Protocol;
import dev.conntrace.sockets.SocketEntry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcNetReaderTest {
    private static final String HEADER = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt"
            + "   uid  timeout inode\n";
    private static final String ROW = "   0: 0100007F:8FEB 00000000:0000 0A 00000000:00000000 00:00000000 00000000"
            + "     0        0 19147 1 00000000f6f60277 100 0 0 10 0\n";

    private static List<SocketEntry> read(InputStream in, ProcNetStats[] stats) throws IOException {
        List<SocketEntry> out = new ArrayList<>();
        stats[0] = new ProcNetReader(new ProcNetParser(ByteOrder.LITTLE_ENDIAN))
                .read(in, 3, Protocol.TCP, AddressFamily.INET, out::add);
        return out;
    }

    @Test
    void skipsHeaderCountsMalformedAndKeepsGoing() throws IOException {
        String text = HEADER + ROW + "   1: nonsense\n" + ROW.replace("19147", "19148") + "x".repeat(5000) + "\n" + ROW;
        ProcNetStats[] stats = new ProcNetStats[1];
        List<SocketEntry> rows = read(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)), stats);
        assertThat(rows).extracting(SocketEntry::inode).containsExactly(19147L, 19148L, 19147L);
        assertThat(stats[0].rows()).isEqualTo(3);
        assertThat(stats[0].malformed()).isEqualTo(2);
        assertThat(stats[0].firstError()).startsWith("line 3:");
    }

    @Test
    void lastRowWithoutNewlineIsRead() throws IOException {
        String text = HEADER + ROW.strip();
        ProcNetStats[] stats = new ProcNetStats[1];
        assertThat(read(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)), stats)).hasSize(1);
    }

    @Test
    void rowsSplitAcrossReadsOneByteAtATime() throws IOException {
        byte[] text = (HEADER + ROW + ROW).getBytes(StandardCharsets.US_ASCII);
        InputStream trickle = new ByteArrayInputStream(text) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1));
            }
        };
        ProcNetStats[] stats = new ProcNetStats[1];
        assertThat(read(trickle, stats)).hasSize(2);
        assertThat(stats[0].malformed()).isZero();
    }

    @Test
    void findsOwnListenerInProcSelfNet() throws IOException {
        try (ServerSocketChannel ch = ServerSocketChannel.open()) {
            ch.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = ((InetSocketAddress) ch.getLocalAddress()).getPort();
            List<SocketEntry> all = new ArrayList<>();
            ProcNetStats stats = new ProcNetReader().readAll(Path.of("/proc/self/net"), 0,
                    EnumSet.of(Protocol.TCP), EnumSet.allOf(AddressFamily.class), all::add);
            assertThat(stats.malformed()).isZero();
            assertThat(all).filteredOn(e -> e.localPort() == port && e.isListening())
                    .singleElement()
                    .satisfies(e -> assertThat(e.inode()).isPositive())
                    .satisfies(e -> assertThat(e.localAddress().fromV4Mapped().isLoopback()).isTrue());
        }
    }
}
