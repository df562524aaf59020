package dev.conntrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.sys.PrivateNamespace;
import dev.conntrace.sys.testing.Prerequisites;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code conntrace lookup -}: tuples from standard input, one answer line each, in a fresh namespace. */
class LookupBatchTest {
    private static final long SELF = ProcessHandle.current().pid();

    private record Run(int status, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }

        List<String> errLines() {
            return err.lines().toList();
        }
    }

    private static CommandLine command(PrintWriter out, PrintWriter err, InputStream in, boolean inputIsFile) {
        CommandLine cl = Main.commandLine().setOut(out).setErr(err);
        LookupCommand lookup = cl.getSubcommands().get("lookup").getCommand();
        lookup.input = in;
        lookup.inputIsFile = () -> inputIsFile;
        return cl;
    }

    private static Run run(String input, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = command(new PrintWriter(out), new PrintWriter(err),
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), true).execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    private static int port(java.net.SocketAddress a) {
        return ((InetSocketAddress) a).getPort();
    }

    @Test
    void badLinesAreNamedOnStderrAnsweredInStepAndMakeStatusOne() {
        String input = """
                tcp 1.2.3.4 1 5.6.7.8
                # a comment, then a blank line

                tcp 1.2.3.4 abc 5.6.7.8 2
                icmp 1.2.3.4 1 5.6.7.8 2
                tcp 1.2.3.4 1 ::1 2
                tcp 1.2.3.4 1 5.6.7.8 2 sideways
                tcp 1.2.3.4 1 5.6.7.8 2 inbound extra
                """;
        Run r = run(input, "lookup", "-");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.errLines()).containsExactly(
                "conntrace lookup: line 1: expected PROTO SRC SPORT DST DPORT [inbound|outbound], found 4 words",
                "conntrace lookup: line 4: SPORT 'abc' is not a port 0..65535",
                "conntrace lookup: line 5: protocol 'icmp' is neither tcp nor udp",
                "conntrace lookup: line 6: source 1.2.3.4 and destination ::1 are of different families",
                "conntrace lookup: line 7: direction 'sideways' is neither inbound nor outbound",
                "conntrace lookup: line 8: unexpected word 'extra' after the direction");
        assertThat(r.outLines()).hasSize(6).allMatch(l -> l.startsWith("error line "));
        assertThat(r.outLines().get(1)).isEqualTo("error line 4: SPORT 'abc' is not a port 0..65535");

        Run json = run("udp 1.2.3.4 1 5.6.7.8 99999\n", "lookup", "--stdin", "-o", "json");
        assertThat(json.status()).isEqualTo(1);
        assertThat(json.out()).isEqualTo("{\"line\":1,\"error\":\"DPORT '99999' is not a port 0..65535\"}\n");
    }

    @Test
    void batchModeTakesNoTupleArguments() {
        for (String[] args : new String[][] {
            {"lookup", "-", "1.2.3.4"},
            {"lookup", "--stdin", "tcp"},
            {"lookup", "--stdin", "-"},
        }) {
            Run r = run("", args);
            assertThat(r.status()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.errLines()).as(r.err()).hasSize(1);
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void answersEachLineFromTheNamespacesSockets() throws Exception {
        Prerequisites.requireRoot();
        try (PrivateNamespace ns = PrivateNamespace.create(); LoopbackConnection c = LoopbackConnection.open(ns)) {
            int sport = c.serverPort();
            int cport = c.clientPort();
            int closed = sport == 9 ? 10 : 9;
            String input = "tcp 127.0.0.1 " + cport + " 127.0.0.1 " + sport + " inbound\n" // arrived at the server
                    + "\n"
                    + "TCP 127.0.0.1 " + sport + " 127.0.0.1 " + cport + "\n" // sent by the server
                    + "udp 127.0.0.1 1 127.0.0.1 " + closed + " inbound\n"
                    + "tcp 127.0.0.1 x 127.0.0.1 " + sport + "\n"
                    + "tcp 127.0.0.1 1 127.0.0.1 " + sport + " inbound\n"; // a SYN's tuple: the listener
            // --thorough: the 1 ms budget of the fast mode is a real deadline a loaded machine can miss
            Run table = run(input, "lookup", "-", "--netns", ns.name(), "--thorough");
            assertThat(table.status()).as(table.err()).isEqualTo(1);
            assertThat(table.errLines()).containsExactly("conntrace lookup: line 5: SPORT 'x' is not a port 0..65535");
            List<String> lines = table.outLines();
            assertThat(lines).hasSize(5);
            String server = "127.0.0.1:" + sport;
            String peer = "127.0.0.1:" + cport;
            assertThat(lines.get(0)).startsWith("found exact_socket inbound tcp/ESTABLISHED " + server + " " + peer + " ")
                    .endsWith("/" + SELF); // this JVM holds both ends
            assertThat(lines.get(0).split(" ", 8)).hasSize(8);
            assertThat(lines.get(1)).startsWith("found exact_socket inbound tcp/ESTABLISHED " + server + " " + peer + " ");
            assertThat(lines.get(2)).isEqualTo("connection_not_found not_found inbound - - - - -");
            assertThat(lines.get(3)).startsWith("error line 5: ");
            assertThat(lines.get(4)).startsWith("found listener inbound tcp/LISTEN " + server + " 0.0.0.0:0 ");

            Run json = run(input.lines().limit(1).toList().getFirst() + "\n", "lookup", "--stdin", "--netns",
                    ns.name(), "--thorough", "-o", "json");
            assertThat(json.status()).as(json.err()).isZero();
            assertThat(json.outLines()).singleElement().satisfies(l -> assertThat(l).startsWith("{\"line\":1,")
                    .contains("\"result\":\"found\"", "\"inbound\":true", "\"local_port\":" + sport,
                            "\"pid\":" + SELF));
        }
    }

    @Test
    void answersAsACoProcessLineByLine() throws Exception {
        Prerequisites.requireRoot();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        PipedOutputStream questions = new PipedOutputStream(); // closed in the test: the end of the input
        try (PrivateNamespace ns = PrivateNamespace.create();
                ServerSocketChannel listener = ns.call(() -> ServerSocketChannel.open(StandardProtocolFamily.INET)
                        .bind(new InetSocketAddress("127.0.0.1", 0)));
                PipedInputStream answers = new PipedInputStream(1 << 16)) {
            int sport = port(listener.getLocalAddress());
            PipedInputStream commandIn = new PipedInputStream(questions, 1 << 16);
            PrintWriter commandOut = new PrintWriter(new OutputStreamWriter(new PipedOutputStream(answers),
                    StandardCharsets.UTF_8)); // no autoflush: only the batch's own flushes let answers through
            StringWriter err = new StringWriter();
            CommandLine cl = command(commandOut, new PrintWriter(err), commandIn, false);
            CompletableFuture<Integer> status = CompletableFuture.supplyAsync(
                    () -> cl.execute("lookup", "-", "--netns", ns.name(), "--thorough", "-o", "json"), pool);
            BufferedReader reader = new BufferedReader(new InputStreamReader(answers, StandardCharsets.UTF_8));
            for (int i = 1; i <= 3; i++) { // each answer comes before the next question is asked
                String q = i == 2 ? "tcp 127.0.0.1 70000 127.0.0.1 1\n" : "tcp 127.0.0.1 1 127.0.0.1 " + sport + " inbound\n";
                questions.write(q.getBytes(StandardCharsets.UTF_8));
                questions.flush();
                String answer = CompletableFuture.supplyAsync(() -> {
                    try {
                        return reader.readLine();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, pool).get(30, TimeUnit.SECONDS);
                assertThat(answer).startsWith("{\"line\":" + i + ",");
                assertThat(answer).contains(i == 2 ? "\"error\":\"SPORT '70000'" : "\"attribution\":\"listener\"");
            }
            questions.close();
            assertThat(status.get(30, TimeUnit.SECONDS)).as(err.toString()).isEqualTo(1);
        } finally {
            questions.close();
            pool.shutdownNow();
        }
    }
}
