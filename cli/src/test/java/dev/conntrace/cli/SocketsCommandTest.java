package dev.conntrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SocketsCommandTest {
    private static final long SELF = ProcessHandle.current().pid();

    private record Run(int status, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int status = cl.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    /** Flattens one JSON object line into dotted keys ("local.port", "processes.0.pid"). */
    private static Map<String, String> flatten(String line) throws IOException {
        Map<String, String> m = new HashMap<>();
        try (JsonParser p = new JsonFactory().createParser(line)) {
            List<String> path = new ArrayList<>();
            List<Integer> index = new ArrayList<>();
            String field = null;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                switch (t) {
                    case FIELD_NAME -> field = p.currentName();
                    case START_OBJECT, START_ARRAY -> {
                        if (!index.isEmpty() && index.getLast() >= 0 && field == null) {
                            path.add(Integer.toString(index.getLast()));
                            index.set(index.size() - 1, index.getLast() + 1);
                        } else if (field != null) {
                            path.add(field);
                        }
                        index.add(t == JsonToken.START_ARRAY ? 0 : -1);
                        field = null;
                    }
                    case END_OBJECT, END_ARRAY -> {
                        index.removeLast();
                        if (!path.isEmpty() && !index.isEmpty()) {
                            path.removeLast();
                        }
                    }
                    default -> {
                        String key = field;
                        if (key == null && !index.isEmpty() && index.getLast() >= 0) {
                            key = Integer.toString(index.getLast());
                            index.set(index.size() - 1, index.getLast() + 1);
                        }
                        m.put(String.join(".", path) + (path.isEmpty() ? "" : ".") + key, p.getValueAsString());
                        field = null;
                    }
                }
            }
        }
        return m;
    }

    @Test
    void jsonListsOwnListenerWithThisProcess() throws IOException {
        try (ServerSocketChannel ch = ServerSocketChannel.open(java.net.StandardProtocolFamily.INET)) {
            ch.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = ((InetSocketAddress) ch.getLocalAddress()).getPort();
            Run r = run("sockets", "-l", "-t", "-4", "-o", "json");
            assertThat(r.status()).isZero();
            Map<String, String> mine = null;
            for (String line : r.out().split("\n")) {
                Map<String, String> m = flatten(line);
                assertThat(m).containsEntry("proto", "tcp").containsEntry("family", "inet").containsEntry("state", "LISTEN");
                if (m.get("local.port").equals(Integer.toString(port))) {
                    mine = m;
                }
            }
            assertThat(mine).isNotNull();
            assertThat(mine).containsEntry("local.ip", "127.0.0.1").containsEntry("remote.port", "0")
                    .containsEntry("processes.0.pid", Long.toString(SELF));
            assertThat(Long.parseLong(mine.get("inode"))).isPositive();
            assertThat(Long.parseLong(mine.get("netns"))).isPositive();
        }
    }

    @Test
    void tableHasHeaderAndListener() throws IOException {
        try (ServerSocketChannel ch = ServerSocketChannel.open(java.net.StandardProtocolFamily.INET)) {
            ch.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = ((InetSocketAddress) ch.getLocalAddress()).getPort();
            Run r = run("sockets", "-l");
            assertThat(r.status()).isZero();
            assertThat(r.out().lines().findFirst().orElseThrow()).startsWith("Netid State");
            assertThat(r.out()).containsPattern("tcp +LISTEN .*127\\.0\\.0\\.1:" + port + " .*/" + SELF);
            Run connected = run("sockets", "-t");
            assertThat(connected.out()).doesNotContain("127.0.0.1:" + port + " ");
        }
    }

    @Test
    void badOptionIsOneLineAndNonZero() {
        Run r = run("sockets", "-o", "xml");
        assertThat(r.status()).isNotZero();
        assertThat(r.err()).contains("xml");
    }
}
