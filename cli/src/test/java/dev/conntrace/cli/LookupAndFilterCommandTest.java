package dev.conntrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.sys.PrivateNamespace;
import dev.conntrace.sys.testing.Prerequisites;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code conntrace lookup} and the {@code conntrace sockets} filters, in a fresh namespace. */
class LookupAndFilterCommandTest {
    private static final long SELF = ProcessHandle.current().pid();

    private record Run(int status, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int status = cl.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    private static int port(java.net.SocketAddress a) {
        return ((InetSocketAddress) a).getPort();
    }

    @Test
    void badInputIsOneLineAndStatusTwo() {
        for (String[] args : new String[][] {
            {"lookup", "icmp", "1.2.3.4", "1", "5.6.7.8", "2"},
            {"lookup", "tcp", "1.2.3", "1", "5.6.7.8", "2"},
            {"lookup", "tcp", "1.2.3.4", "70000", "5.6.7.8", "2"},
            {"lookup", "tcp", "1.2.3.4", "1", "::1", "2"},
            {"lookup", "tcp", "1.2.3.4", "1"},
            {"sockets", "--state", "sleeping"},
        }) {
            Run r = run(args);
            assertThat(r.status()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err().lines().count()).as(r.err()).isEqualTo(1);
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void lookupFindsThisProcessAndSaysWhenNothingIsThere() throws Exception {
        Prerequisites.requireRoot();
        try (PrivateNamespace ns = PrivateNamespace.create(); LoopbackConnection c = LoopbackConnection.open(ns)) {
            String sport = Integer.toString(c.serverPort());
            String cport = Integer.toString(c.clientPort());

            Run found = run("lookup", "tcp", "127.0.0.1", cport, "127.0.0.1", sport, "--inbound", "--netns", ns.name(),
                    "--thorough", "-o", "json");
            assertThat(found.status()).as(found.err()).isZero();
            assertThat(found.out()).contains("\"result\":\"found\"", "\"attribution\":\"exact_socket\"",
                    "\"inbound\":true", "\"local_port\":" + sport, "\"pid\":" + SELF);

            Run table = run("lookup", "tcp", "127.0.0.1", cport, "127.0.0.1", sport, "--netns", ns.path().toString(),
                    "--thorough");
            assertThat(table.status()).isZero();
            assertThat(table.out()).contains("result:     found", "direction:  outbound", "/" + SELF);

            Run listenerOnly = run("lookup", "tcp", "127.0.0.1", "1", "127.0.0.1", sport, "--inbound", "--netns",
                    ns.name(), "--thorough");
            assertThat(listenerOnly.out()).contains("found by:   listener");

            String closed = sport.equals("9") ? "10" : "9";
            // --thorough: the 1 ms budget of the fast mode is a real deadline that a loaded machine can miss
            // (budgets themselves are tested with slow fakes in the sockets module).
            Run none = run("lookup", "udp", "127.0.0.1", "1", "127.0.0.1", closed, "--inbound", "--netns", ns.name(),
                    "--thorough");
            assertThat(none.status()).isEqualTo(1);
            assertThat(none.out()).contains("connection not found");
        }
    }

    @Test
    void socketsFilters() throws Exception {
        Prerequisites.requireRoot();
        try (PrivateNamespace ns = PrivateNamespace.create();
                ServerSocketChannel listener = ns.call(() -> ServerSocketChannel.open(StandardProtocolFamily.INET)
                        .bind(new InetSocketAddress("127.0.0.1", 0)));
                ServerSocketChannel other = ns.call(() -> ServerSocketChannel.open(StandardProtocolFamily.INET)
                        .bind(new InetSocketAddress("127.0.0.1", 0)));
                SocketChannel client = ns.call(() -> {
                    SocketChannel c = SocketChannel.open(StandardProtocolFamily.INET);
                    c.connect(listener.getLocalAddress());
                    return c;
                });
                SocketChannel accepted = listener.accept()) {
            String sport = Integer.toString(port(listener.getLocalAddress()));
            String oport = Integer.toString(port(other.getLocalAddress()));
            assertThat(port(accepted.getRemoteAddress())).isEqualTo(port(client.getLocalAddress()));

            Run listening = run("sockets", "--netns", ns.name(), "--state", "listening");
            assertThat(listening.status()).isZero();
            assertThat(listening.out()).contains("127.0.0.1:" + sport + " ", "127.0.0.1:" + oport + " ")
                    .doesNotContain("ESTAB");

            Run byPort = run("sockets", "--netns", ns.name(), "-a", "--port", sport);
            assertThat(byPort.out().lines().skip(1)).hasSize(3) // the listener and both ends of the connection
                    .allMatch(l -> l.contains(":" + sport + " "));
            assertThat(byPort.out()).doesNotContain(":" + oport + " ");

            Run established = run("sockets", "--netns", ns.name(), "--state", "established", "--port", sport);
            assertThat(established.out().lines().skip(1)).hasSize(2).allMatch(l -> l.contains("ESTABLISHED"));

            Run mine = run("sockets", "--netns", ns.name(), "-a", "--pid", Long.toString(SELF));
            assertThat(mine.out().lines().skip(1)).hasSize(4);
            Run nobody = run("sockets", "--netns", ns.name(), "-a", "--pid", "1");
            assertThat(nobody.out().lines().skip(1)).isEmpty();
            String comm = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/comm")).strip();
            Run byName = run("sockets", "--netns", ns.name(), "-a", "--process", comm);
            assertThat(byName.out().lines().skip(1)).hasSize(4);
            assertThat(run("sockets", "--netns", ns.name(), "-a", "--process", comm + "-not").out().lines().skip(1))
                    .isEmpty();
        }
    }
    @Test
    void protocolFamilyAndAllNamespacesFilters() throws Exception {
        Prerequisites.requireRoot();
        try (PrivateNamespace ns = PrivateNamespace.create();
                ServerSocketChannel tcp4 = ns.call(() -> ServerSocketChannel.open(StandardProtocolFamily.INET)
                        .bind(new InetSocketAddress("127.0.0.1", 0)));
                ServerSocketChannel tcp6 = ns.call(() -> ServerSocketChannel.open(StandardProtocolFamily.INET6)
                        .bind(new InetSocketAddress("::1", 0)));
                java.nio.channels.DatagramChannel udp4 = ns.call(() -> java.nio.channels.DatagramChannel
                        .open(StandardProtocolFamily.INET).bind(new InetSocketAddress("127.0.0.1", 0)));
                java.nio.channels.DatagramChannel udp6 = ns.call(() -> java.nio.channels.DatagramChannel
                        .open(StandardProtocolFamily.INET6).bind(new InetSocketAddress("::1", 0)))) {
            String t4 = "127.0.0.1:" + port(tcp4.getLocalAddress()) + " ";
            String t6 = "[::1]:" + port(tcp6.getLocalAddress()) + " ";
            String u4 = "127.0.0.1:" + port(udp4.getLocalAddress()) + " ";
            String u6 = "[::1]:" + port(udp6.getLocalAddress()) + " ";

            assertThat(run("sockets", "--netns", ns.name(), "-l").out()).contains(t4, t6, u4, u6);
            assertThat(run("sockets", "--netns", ns.name(), "-l", "-u").out()).contains(u4, u6)
                    .doesNotContain(t4, t6);
            assertThat(run("sockets", "--netns", ns.name(), "-l", "-t", "-6").out()).contains(t6)
                    .doesNotContain(t4, u4, u6);
            assertThat(run("ss", "--netns", ns.name(), "-l", "-u", "-4").out()).contains(u4)
                    .doesNotContain(t4, t6, u6);

            // every namespace: this one's sockets too, with its inode in the first column
            long inode = (Long) java.nio.file.Files.getAttribute(ns.path(), "unix:ino");
            Run all = run("sockets", "--netns", "all", "-l", "-t", "--port", Integer.toString(port(tcp4.getLocalAddress())));
            assertThat(all.status()).isZero();
            assertThat(all.out().lines().findFirst().orElseThrow()).startsWith("Netns");
            assertThat(all.out().lines()).anySatisfy(l -> assertThat(l).startsWith(Long.toString(inode)).contains(t4));
        }
    }
}
