package dev.conntrace.sockets.diag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.sockets.FiveTuple;
import dev.conntrace.sockets.Protocol;
import dev.conntrace.sockets.SocketEntry;
import dev.conntrace.sockets.SocketState;
import dev.conntrace.sockets.direction.UdpDirectionMemory;
import dev.conntrace.sockets.process.ProcessDetails;
import dev.conntrace.sockets.process.ProcessIndex;
import dev.conntrace.sockets.process.ProcessInfo;
import dev.conntrace.sys.IpAddress;
import dev.conntrace.sys.PrivateNamespace;
import dev.conntrace.sys.testing.Prerequisites;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two fresh namespaces each hold the very same TCP connection, 127.0.0.1:40000 → 127.0.0.1:5000,
 * in a Python child of their own: the table keeps both (the namespace is part of every key) and a
 * lookup in each namespace names that namespace's process.
 */
class SameTupleTwoNamespacesKernelTest {
    private static final IpAddress LO = IpAddress.parse("127.0.0.1");
    private static final int SERVER = 5000;
    private static final int CLIENT = 40000;

    private static final String CHILD = """
            import socket, sys
            l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            l.bind(("127.0.0.1", 5000)); l.listen()
            c = socket.socket(); c.bind(("127.0.0.1", 40000)); c.connect(("127.0.0.1", 5000)); a, _ = l.accept()
            print("ready", flush=True)
            sys.stdin.read()
            """;

    private static Process child(PrivateNamespace ns) throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "exec", ns.name(), "python3", "-c", CHILD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return r.readLine();
            } catch (IOException e) {
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        assertThat(line).as("child in %s", ns.name()).isEqualTo("ready");
        return p;
    }

    private static void stop(Process p) throws InterruptedException {
        if (p != null) {
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static SocketLookup lookup(SockDiag diag, ProcessIndex index) {
        return new SocketLookup(diag.netns(), LookupSteps.kernel(diag, index, ProcessDetails.system()),
                new UdpDirectionMemory(InstantSource.system(), UdpDirectionMemory.Limits.DEFAULT),
                new SocketLookup.Config(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ZERO, 16));
    }

    @Test
    void sameTupleInTwoNamespacesIsTwoConnections() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireTool("ip");
        Prerequisites.requireTool("python3");
        Process inA = null;
        Process inB = null;
        try (PrivateNamespace a = PrivateNamespace.create(); PrivateNamespace b = PrivateNamespace.create();
                SocketTable table = new SocketTable(1000); SockDiag diagA = SockDiag.open(a.namespace());
                SockDiag diagB = SockDiag.open(b.namespace())) {
            inA = child(a);
            inB = child(b);
            long nsA = table.addNamespace(a.namespace());
            long nsB = table.addNamespace(b.namespace());
            assertThat(nsA).isNotEqualTo(nsB);
            table.refresh();
            assertThat(table.size()).isEqualTo(6); // per namespace: listener, client end, accepted end

            SocketEntry clientA = table.lookup(nsA, Protocol.TCP, LO, CLIENT, LO, SERVER);
            SocketEntry clientB = table.lookup(nsB, Protocol.TCP, LO, CLIENT, LO, SERVER);
            assertThat(clientA.state()).isEqualTo(SocketState.ESTABLISHED);
            assertThat(clientB.state()).isEqualTo(SocketState.ESTABLISHED);
            assertThat(clientA.netns()).isEqualTo(nsA);
            assertThat(clientB.netns()).isEqualTo(nsB);
            assertThat(clientA.key()).isNotEqualTo(clientB.key());
            assertThat(clientA.inode()).isNotEqualTo(clientB.inode());

            ProcessIndex index = ProcessIndex.system();
            index.fullScan();
            assertThat(index.pidsOf(clientA.inode())).containsExactly((int) inA.pid());
            assertThat(index.pidsOf(clientB.inode())).containsExactly((int) inB.pid());
            FiveTuple tuple = new FiveTuple(Protocol.TCP, LO, CLIENT, LO, SERVER);
            for (boolean inbound : new boolean[] {false, true}) {
                LookupResult ra = lookup(diagA, index).lookup(tuple, inbound, SocketLookup.Mode.FAST);
                LookupResult rb = lookup(diagB, index).lookup(tuple, inbound, SocketLookup.Mode.FAST);
                assertThat(ra.found()).isTrue();
                assertThat(rb.found()).isTrue();
                assertThat(ra.socket().netns()).isEqualTo(nsA);
                assertThat(rb.socket().netns()).isEqualTo(nsB);
                assertThat(ra.socket().localPort()).isEqualTo(rb.socket().localPort())
                        .isEqualTo(inbound ? SERVER : CLIENT);
                assertThat(ra.inbound()).isEqualTo(rb.inbound()).isEqualTo(inbound);
                assertThat(ra.processes()).extracting(ProcessInfo::pid).containsExactly((int) inA.pid());
                assertThat(rb.processes()).extracting(ProcessInfo::pid).containsExactly((int) inB.pid());
            }
        } finally {
            stop(inA);
            stop(inB);
        }
    }
}
