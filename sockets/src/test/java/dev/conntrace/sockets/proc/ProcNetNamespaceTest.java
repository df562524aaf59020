package dev.conntrace.sockets.proc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.sockets.AddressFamily;
import dev.conntrace.sockets.Protocol;
import dev.conntrace.sockets.SocketEntry;
import dev.conntrace.sockets.SocketState;
import dev.conntrace.sockets.diag.SockDiag;
import dev.conntrace.sockets.netns.NetnsScanner;
import dev.conntrace.sockets.process.ProcessIndex;
import dev.conntrace.sys.PrivateNamespace;
import dev.conntrace.sys.testing.Prerequisites;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A child process in a fresh namespace ({@code ip netns exec}) holds a listener and a connection
 * on loopback. Its {@code /proc/PID/net} tables show that namespace's sockets, which agree with a
 * sock_diag dump of the same namespace, and the index maps the listener to the child's pid.
 */
class ProcNetNamespaceTest {
    private static final String CHILD = """
            import socket, sys
            l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen()
            c = socket.socket(); c.connect(l.getsockname()); a, _ = l.accept()
            u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u.bind(("::1", 0))
            print(l.getsockname()[1], flush=True)
            sys.stdin.read()
            """;

    @Test
    void procTablesOfAProcessMatchSockDiagOfItsNamespace() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireTool("ip");
        Prerequisites.requireTool("python3");
        try (PrivateNamespace ns = PrivateNamespace.create()) {
            Process child = new ProcessBuilder("ip", "netns", "exec", ns.name(), "python3", "-c", CHILD).start();
            try {
                String first = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine();
                assertThat(first).as("child output").isNotNull();
                int port = Integer.parseInt(first.strip());
                int pid = (int) child.pid(); // ip netns exec execs python in place
                long inode = (Long) Files.getAttribute(ns.path(), "unix:ino");
                assertThat(NetnsScanner.system().namespaceOf(pid)).isEqualTo(inode);

                List<SocketEntry> fromProc = new ArrayList<>();
                ProcNetStats stats = new ProcNetReader().readAll(Path.of("/proc", Integer.toString(pid), "net"), inode,
                        EnumSet.allOf(Protocol.class), EnumSet.allOf(AddressFamily.class), fromProc::add);
                assertThat(stats.malformed()).isZero();
                List<SocketEntry> fromDiag = new ArrayList<>();
                try (SockDiag diag = SockDiag.open(ns.namespace())) {
                    diag.dumpAll(EnumSet.allOf(Protocol.class), EnumSet.allOf(AddressFamily.class), fromDiag::add);
                }
                assertThat(summary(fromProc)).isEqualTo(summary(fromDiag)).hasSize(4);

                SocketEntry listener = fromProc.stream().filter(e -> e.localPort() == port && e.isListening())
                        .findFirst().orElseThrow();
                assertThat(listener.state()).isEqualTo(SocketState.LISTEN);
                ProcessIndex index = ProcessIndex.system();
                index.fullScan();
                assertThat(index.pidsOf(listener.inode())).containsExactly(pid);
            } finally {
                child.destroy();
                child.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** What both sources report identically, one string per socket, sorted. */
    private static List<String> summary(List<SocketEntry> l) {
        return l.stream()
                .map(e -> e.netns() + " " + e.protocol() + " " + e.family() + " " + e.state() + " " + e.localAddress()
                        + ":" + e.localPort() + " " + e.remoteAddress() + ":" + e.remotePort() + " ino " + e.inode()
                        + " uid " + e.uid())
                .sorted().collect(Collectors.toList());
    }
}
