package dev.conntrace.sockets.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.sockets.AddressFamily;
import dev.conntrace.sockets.Protocol;
import dev.conntrace.sockets.SocketEntry;
import dev.conntrace.sockets.SocketState;
import dev.conntrace.sockets.proc.ProcNetReader;
import dev.conntrace.sys.testing.Prerequisites;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The index and details against this machine's real /proc, with sockets on loopback only. */
class ProcessIndexSystemTest {
    private static final int SELF = (int) ProcessHandle.current().pid();

    private static long inodeOf(Predicate<SocketEntry> which) throws IOException {
        List<SocketEntry> rows = new ArrayList<>();
        new ProcNetReader().readAll(Path.of("/proc/self/net"), 0, EnumSet.of(Protocol.TCP),
                EnumSet.allOf(AddressFamily.class), rows::add);
        return rows.stream().filter(which).mapToLong(SocketEntry::inode).findFirst().orElseThrow();
    }

    private static ServerSocketChannel listener() throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open();
        ch.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return ch;
    }

    private static int port(ServerSocketChannel ch) throws IOException {
        return ((InetSocketAddress) ch.getLocalAddress()).getPort();
    }

    @Test
    void fullScanFindsOwnListener() throws IOException {
        try (ServerSocketChannel ch = listener()) {
            int port = port(ch);
            long inode = inodeOf(e -> e.localPort() == port && e.isListening());
            ProcessIndex ix = ProcessIndex.system();
            ix.fullScan();
            assertThat(ix.pidsOf(inode)).containsExactly(SELF);
        }
    }

    @Test
    void refreshSeesNewSocketAndFindSeesSwappedSocket() throws IOException {
        ProcessIndex ix = ProcessIndex.system();
        ServerSocketChannel first = listener();
        try {
            ix.fullScan();
            try (ServerSocketChannel second = listener()) {
                int port = port(second);
                long inode = inodeOf(e -> e.localPort() == port && e.isListening());
                assertThat(ix.pidsOf(inode)).isEmpty();
                ix.refresh(); // fd count changed
                assertThat(ix.pidsOf(inode)).containsExactly(SELF);
            }
            first.close(); // frees an fd: the next socket keeps the count unchanged
            try (ServerSocketChannel third = listener()) { // same fd count as before
                int port = port(third);
                long inode = inodeOf(e -> e.localPort() == port && e.isListening());
                assertThat(ix.find(inode)).containsExactly(SELF);
            }
        } finally {
            first.close();
        }
    }

    @Test
    void forkedChildrenShareTheSocket() throws Exception {
        Prerequisites.requireTool("bash");
        try (ServerSocketChannel ch = listener()) {
            int port = port(ch);
            Process bash = new ProcessBuilder("bash", "-c",
                    "exec 3<>/dev/tcp/127.0.0.1/" + port + "; sleep 20 & echo $$ $!; wait").start();
            try (SocketChannel accepted = ch.accept()) {
                String[] pids = new BufferedReader(new InputStreamReader(bash.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine().split(" ");
                int parent = Integer.parseInt(pids[0]);
                int child = Integer.parseInt(pids[1]);
                int clientPort = ((InetSocketAddress) accepted.getRemoteAddress()).getPort();
                long inode = inodeOf(e -> e.localPort() == clientPort && e.remotePort() == port
                        && e.state().equals(SocketState.ESTABLISHED));
                ProcessIndex ix = ProcessIndex.system();
                ix.fullScan();
                assertThat(ix.pidsOf(inode)).containsExactlyInAnyOrder(parent, child);

                ProcessDetails details = ProcessDetails.system();
                ProcessInfo p = details.get(parent);
                ProcessInfo c = details.get(child);
                assertThat(p.comm()).isEqualTo("bash");
                assertThat(c.comm()).isEqualTo("sleep");
                assertThat(c.ppid()).isEqualTo(parent);
                assertThat(c.cmdline()).isEqualTo("sleep 20");
                assertThat(c.exe()).endsWith("sleep");
            } finally {
                bash.descendants().forEach(ProcessHandle::destroy);
                bash.destroy();
                bash.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void detailsOfThisJvm() {
        ProcessInfo me = ProcessDetails.system().get(SELF);
        ProcessHandle.Info info = ProcessHandle.current().info();
        assertThat(me.pid()).isEqualTo(SELF);
        assertThat(me.exe()).isEqualTo(info.command().orElseThrow());
        assertThat(me.cmdline()).startsWith(info.command().orElseThrow());
        assertThat(me.user()).isEqualTo(System.getProperty("user.name"));
        assertThat(me.ppid()).isEqualTo((int) ProcessHandle.current().parent().orElseThrow().pid());
        Instant started = info.startInstant().orElseThrow();
        assertThat(Duration.between(started, me.startTime()).abs()).isLessThan(Duration.ofSeconds(2));
        assertThat(ProcessDetails.system().get(Integer.MAX_VALUE)).isNull();
    }
}
