package dev.conntrace.sockets.diag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.sockets.FiveTuple;
import dev.conntrace.sockets.Protocol;
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
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A socket passed from one process to another over a unix socket ({@code SCM_RIGHTS}): two Python
 * children in a fresh namespace, whose pids the test knows. Once passed, both hold the socket's
 * inode; the index, refreshed incrementally, and a lookup name both; when the sender closes its
 * copy, only the receiver is left.
 */
class FdPassingKernelTest {
    private static final IpAddress LO = IpAddress.parse("127.0.0.1");

    /** One script, two roles: "send" holds a loopback connection and passes its accepted end; "recv" keeps it. */
    private static final String CHILD = """
            import socket, sys
            role, path = sys.argv[1], sys.argv[2]
            if role == "recv":
                u = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); u.bind(path); u.listen()
                print("ready", flush=True)
                c, _ = u.accept()
                _, fds, _, _ = socket.recv_fds(c, 16, 1)
                print("got", fds[0], flush=True)
                sys.stdin.read()
            else:
                l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen()
                c = socket.socket(); c.connect(l.getsockname()); a, _ = l.accept()
                print(l.getsockname()[1], c.getsockname()[1], flush=True)
                for line in sys.stdin:
                    if line.strip() == "pass":
                        u = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); u.connect(path)
                        socket.send_fds(u, [b"x"], [a.fileno()]); u.close()
                        print("passed", flush=True)
                    elif line.strip() == "close":
                        a.close()
                        print("closed", flush=True)
            """;

    /** A child's line of output, waiting at most 10 s. */
    private static String line(BufferedReader r) throws Exception {
        String s = CompletableFuture.supplyAsync(() -> {
            try {
                return r.readLine();
            } catch (IOException e) {
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        assertThat(s).as("a line from the child").isNotNull();
        return s;
    }

    private static BufferedReader reader(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
    }

    private static void tell(Process p, String word) throws IOException {
        OutputStream in = p.getOutputStream();
        in.write((word + "\n").getBytes(StandardCharsets.US_ASCII));
        in.flush();
    }

    private static void stop(Process p) throws InterruptedException {
        if (p != null) {
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** The pids {@code ss -Htanp} in the namespace gives for the socket 127.0.0.1:local → 127.0.0.1:peer. */
    private static List<Integer> ssPids(PrivateNamespace ns, int local, int peer) throws IOException {
        List<Integer> pids = new ArrayList<>();
        for (String line : ns.exec("ss", "-Htanp").split("\n")) {
            String[] t = line.trim().split("\\s+");
            if (t.length > 5 && t[3].equals("127.0.0.1:" + local) && t[4].equals("127.0.0.1:" + peer)) {
                Matcher m = Pattern.compile("pid=(\\d+)").matcher(line);
                while (m.find()) {
                    pids.add(Integer.parseInt(m.group(1)));
                }
            }
        }
        return pids;
    }

    @Test
    void passedSocketHasBothHoldersThenOnlyTheReceiver() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireTool("ip");
        Prerequisites.requireTool("python3");
        Prerequisites.requireTool("ss");
        Path dir = Files.createTempDirectory("fdpass");
        Path unix = dir.resolve("s");
        Process receiver = null;
        Process sender = null;
        try (PrivateNamespace ns = PrivateNamespace.create(); SockDiag diag = SockDiag.open(ns.namespace())) {
            // ip netns exec execs python in place: the child's pid is the holder's
            receiver = new ProcessBuilder("ip", "netns", "exec", ns.name(), "python3", "-c", CHILD, "recv",
                    unix.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            BufferedReader fromReceiver = reader(receiver);
            assertThat(line(fromReceiver)).isEqualTo("ready");
            sender = new ProcessBuilder("ip", "netns", "exec", ns.name(), "python3", "-c", CHILD, "send",
                    unix.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            BufferedReader fromSender = reader(sender);
            String[] ports = line(fromSender).split(" ");
            int listenPort = Integer.parseInt(ports[0]);
            int clientPort = Integer.parseInt(ports[1]);
            int senderPid = (int) sender.pid();
            int receiverPid = (int) receiver.pid();

            // the accepted end of the connection: local is the listening port
            FiveTuple toServer = new FiveTuple(Protocol.TCP, LO, clientPort, LO, listenPort);
            ProcessIndex index = ProcessIndex.system();
            index.fullScan();
            SocketLookup lookup = new SocketLookup(diag.netns(), LookupSteps.kernel(diag, index, ProcessDetails.system()),
                    new UdpDirectionMemory(InstantSource.system(), UdpDirectionMemory.Limits.DEFAULT),
                    new SocketLookup.Config(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ZERO, 16));
            LookupResult before = lookup.lookup(toServer, true, SocketLookup.Mode.FAST);
            assertThat(before.outcome()).isEqualTo(LookupOutcome.FOUND);
            assertThat(before.socket().state()).isEqualTo(SocketState.ESTABLISHED);
            assertThat(before.socket().localPort()).isEqualTo(listenPort);
            long inode = before.socket().inode();
            assertThat(before.processes()).extracting(ProcessInfo::pid).containsExactly(senderPid);

            tell(sender, "pass");
            assertThat(line(fromSender)).isEqualTo("passed");
            assertThat(line(fromReceiver)).startsWith("got ");
            long refreshes = index.counters().refreshes();
            long tablesRead = index.counters().fdTablesRead();
            index.refresh(); // incremental: only the changed fd tables are read again
            assertThat(index.counters().refreshes()).isEqualTo(refreshes + 1);
            assertThat(index.counters().fdTablesRead() - tablesRead)
                    .as("fd tables read by the refresh").isPositive().isLessThan(index.processCount());
            assertThat(index.pidsOf(inode)).containsExactlyInAnyOrder(senderPid, receiverPid);
            LookupResult shared = lookup.lookup(toServer, true, SocketLookup.Mode.FAST);
            assertThat(shared.outcome()).isEqualTo(LookupOutcome.FOUND);
            assertThat(shared.socket().inode()).isEqualTo(inode);
            assertThat(shared.inbound()).isTrue();
            assertThat(shared.processes()).extracting(ProcessInfo::pid)
                    .containsExactlyInAnyOrder(senderPid, receiverPid);
            assertThat(shared.processes()).extracting(ProcessInfo::comm).allSatisfy(c -> assertThat(c).startsWith("python"));
            assertThat(ssPids(ns, listenPort, clientPort)).as("ss -tanp's users of the socket")
                    .containsExactlyInAnyOrder(senderPid, receiverPid);

            tell(sender, "close"); // the sender lets go: the receiver alone holds it now
            assertThat(line(fromSender)).isEqualTo("closed");
            index.refresh();
            assertThat(index.pidsOf(inode)).containsExactly(receiverPid);
            assertThat(lookup.lookup(toServer, true, SocketLookup.Mode.THOROUGH).processes())
                    .extracting(ProcessInfo::pid).containsExactly(receiverPid);
        } finally {
            stop(sender);
            stop(receiver);
            Files.deleteIfExists(unix);
            Files.deleteIfExists(dir);
        }
    }
}
