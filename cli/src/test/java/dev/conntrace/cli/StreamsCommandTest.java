package dev.conntrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.sys.PrivateNamespace;
import dev.conntrace.sys.testing.Prerequisites;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class StreamsCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        StreamsCommand cmd = new StreamsCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CommandLine(cmd).setErr(new java.io.PrintWriter(err, true)).execute(args);
    }

    private static Path capture(String name) {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolve("shared").resolve("pcaps").resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        Prerequisites.require(false, "shared capture " + name + " not found");
        return null;
    }

    private List<String> lines() {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void jsonLinesCarryTheOracleDigests(@TempDir Path dir) throws Exception {
        Path pcap = capture("zeek--tcp_tcp-fast-open.pcap");
        assertThat(run("-o", "json", "-w", dir.toString(), pcap.toString())).isZero();
        List<String> lines = lines();
        assertThat(lines).hasSize(4);
        assertThat(String.join("\n", lines)).contains("\"sha256\":\"d89158caac619b584708a59936e920bfabb995daee3c7785059afaeda6c11d86\"")
                .contains("\"dir\":\"s2c\"").contains("\"end\":\"fin\"");
        Path c2s = dir.resolve("0000-10.99.99.1.55533-10.99.99.45.80-c2s");
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(c2s)));
        assertThat(sha).isEqualTo("d89158caac619b584708a59936e920bfabb995daee3c7785059afaeda6c11d86");
        try (var files = Files.list(dir)) {
            assertThat(files.count()).isEqualTo(4);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void tableHasAHeaderAndOneRowPerDirection() {
        Path pcap = capture("gopacket--pcap_test_ethernet.pcap");
        assertThat(run(pcap.toString())).isZero();
        assertThat(lines()).hasSize(3);
        assertThat(lines().getFirst()).startsWith("STREAM").contains("SHA256");
        assertThat(lines().get(1)).contains("10.1.1.2", "44644", "c2s", "2017-12-13T22:28:59.656584000Z", " 72 ", "fin",
                "751114f19c2feb02abbf2f84a314a5379ca2060131dfbabb8c8ca89b1889d1eb");
    }

    @Test
    void filterKeepsOnlyMatchingConnections() {
        Path pcap = capture("zeek--tcp_tcp-fast-open.pcap");
        assertThat(run("-o", "json", "--filter", "tcp and port 55534 and host 10.99.99.45", pcap.toString())).isZero();
        assertThat(lines()).hasSize(2).allMatch(l -> l.contains("55534") && l.contains("\"stream\":0"));
    }

    @Test
    void liveReassemblyOfALoopbackTransferMatchesTheBytesSent(@TempDir Path dir) throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireTool("ip");
        byte[] data = new byte[300_000];
        new java.util.Random(42).nextBytes(data);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        try (PrivateNamespace ns = PrivateNamespace.create()) {
            CompletableFuture<Integer> rc = CompletableFuture.supplyAsync(() -> {
                try {
                    return ns.call(() -> run("-i", "lo", "--seconds", "3", "-o", "json", "-w", dir.toString()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!err.toString(StandardCharsets.UTF_8).contains("listening on") && !rc.isDone()
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            int clientPort = ns.call(() -> LiveTraffic.tcp(data));
            assertThat(rc.get(20, TimeUnit.SECONDS)).as(err.toString(StandardCharsets.UTF_8)).isZero();
            List<String> lines = lines();
            assertThat(lines).hasSize(2);
            String c2s = lines.stream().filter(l -> l.contains("\"dir\":\"c2s\"")).findFirst().orElseThrow();
            assertThat(c2s).contains("\"sport\":" + clientPort, "\"bytes\":300000", "\"missing\":0", "\"sha256\":\"" + sha + "\"",
                    "\"end\":\"fin\"");
            try (var files = Files.list(dir)) {
                Path written = files.filter(p -> p.toString().endsWith("-c2s")).findFirst().orElseThrow();
                assertThat(Files.readAllBytes(written)).isEqualTo(data);
            }
        }
    }

    @Test
    void liveAndFileTogetherIsAUsageError() {
        assertThat(run("-i", "lo", "x.pcap")).isEqualTo(2);
        assertThat(run("-c", "5", "x.pcap")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "conntrace streams: give a capture FILE or -i IFACE, not both",
                "conntrace streams: -c, --seconds, --filter-bpf and --fanout apply to live capture (-i)");
    }

    @Test
    void filterIsATcpdumpExpressionRunOverEachPacket() {
        Prerequisites.require(dev.conntrace.packet.FilterCompiler.load().isPresent(), "libpcap is installed");
        Path pcap = capture("zeek--tcp_tcp-fast-open.pcap");
        assertThat(run("-o", "json", "--filter", "port 55533 or port 55534", pcap.toString())).isZero();
        assertThat(lines()).hasSize(4);
        out.reset();
        assertThat(run("-o", "json", "--filter", "not (port 55533 or dst host 10.99.99.1)", pcap.toString())).isZero();
        // only the client's side of the second connection is left, so the server's direction is empty
        assertThat(lines()).hasSize(2).allMatch(l -> l.contains("55534"))
                .anyMatch(l -> l.contains("\"dir\":\"c2s\"") && l.contains("\"bytes\":86"))
                .anyMatch(l -> l.contains("\"sport\":80") && l.contains("\"packets\":0"));
    }

    @Test
    void aBadFilterIsAUsageErrorWithLibpcapsMessage() {
        Prerequisites.require(dev.conntrace.packet.FilterCompiler.load().isPresent(), "libpcap is installed");
        assertThat(run("--filter", "port 80 or", "x.pcap")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("conntrace streams: cannot compile filter 'port 80 or': ")
                .contains("syntax error").hasLineCount(1);
    }

    @Test
    void runtimeErrorsAreOneLineWithoutStackTrace(@TempDir Path dir) throws Exception {
        assertThat(run(dir.resolve("missing.pcap").toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("conntrace streams: no such file").hasLineCount(1);
        err.reset();
        Path junk = Files.writeString(dir.resolve("junk.pcap"), "not a capture at all");
        assertThat(run(junk.toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("neither pcap nor pcapng").hasLineCount(1);
        err.reset();
        assertThat(run("--debug", junk.toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("\tat ");
    }

    @Test
    void badOptionValuesAreUsageErrors() {
        assertThat(run("-o", "xml", "x.pcap")).isEqualTo(2);
        assertThat(run("--checksums", "maybe", "x.pcap")).isEqualTo(2);
        assertThat(run("--stop-waiting", "0", "x.pcap")).isEqualTo(2);
        assertThat(run("--idle-timeout", "99999999999", "x.pcap")).isEqualTo(2);
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).hasSize(5).allMatch(l -> l.startsWith("conntrace streams: "));
    }

    @Test
    void timeIsIsoUtcWithNanoseconds() {
        assertThat(StreamsCommand.time(1_700_000_000_000_000_001L)).isEqualTo("2023-11-14T22:13:20.000000001Z");
        assertThat(StreamsCommand.time(-1)).isEqualTo("1969-12-31T23:59:59.999999999Z");
    }
}
