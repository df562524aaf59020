package dev.conntrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.sys.PrivateNamespace;
import dev.conntrace.sys.testing.Prerequisites;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CaptureCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path tmp;

    private int run(String... args) {
        CaptureCommand cmd = new CaptureCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]));
        return new CommandLine(cmd).setErr(new java.io.PrintWriter(err, true)).execute(args);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static List<String> tshark(String... args) throws Exception {
        List<String> line = new ArrayList<>(List.of("tshark"));
        line.addAll(List.of(args));
        Process p = new ProcessBuilder(line).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("tshark %s", line).isZero();
        return text.lines().toList();
    }

    /** {@code tcpdump -ddd udp dst port P} for Ethernet (IPv4), written out by hand. */
    static String udpDstPortProgram(int port) {
        return """
                11
                40 0 0 12
                21 0 8 2048
                48 0 0 23
                21 0 6 17
                40 0 0 20
                69 4 0 8191
                177 0 0 14
                72 0 0 16
                21 0 1 %d
                6 0 0 262144
                6 0 0 0
                """.formatted(port);
    }

    /** Runs the command in {@code ns} on another thread, making traffic there until it returns (at most 20 s). */
    private int runWithTraffic(PrivateNamespace ns, LiveTrafficAction traffic, String... args) throws Exception {
        CompletableFuture<Integer> rc = CompletableFuture.supplyAsync(() -> {
            try {
                return ns.call(() -> run(args));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!err().contains("listening on") && !rc.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        while (!rc.isDone() && System.nanoTime() < deadline) {
            ns.run(traffic::run);
            Thread.sleep(20);
        }
        return rc.get(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
    }

    @FunctionalInterface
    interface LiveTrafficAction {
        void run() throws Exception;
    }

    @Test
    void capturesCountPacketsToAPcapngThatTsharkReads() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireTool("ip");
        Prerequisites.requireTool("tshark");
        Path file = tmp.resolve("c.pcapng");
        try (PrivateNamespace ns = PrivateNamespace.create()) {
            int rc = runWithTraffic(ns, () -> {
                LiveTraffic.udp(9999, 3);
                LiveTraffic.tcp("hello".getBytes(StandardCharsets.US_ASCII));
            }, "-i", "lo", "-w", file.toString(), "-c", "25", "-s", "60");
            assertThat(rc).as(err()).isZero();
        }
        List<String> packets = tshark("-r", file.toString(), "-T", "fields", "-e", "frame.protocols");
        assertThat(packets).hasSize(25);
        List<String> lengths = tshark("-r", file.toString(), "-T", "fields", "-e", "frame.cap_len", "-e", "frame.len");
        assertThat(lengths).allMatch(l -> Integer.parseInt(l.split("\t")[0]) <= 60)
                .anyMatch(l -> Integer.parseInt(l.split("\t")[1]) > 60);
        assertThat(packets).anyMatch(l -> l.contains("udp")).anyMatch(l -> l.contains("tcp"))
                .allMatch(l -> l.startsWith("eth:ethertype:ip"));
        assertThat(tshark("-r", file.toString(), "-T", "fields", "-e", "frame.interface_id", "-e", "frame.time_epoch")
                .getFirst()).matches("0\t\\d{10}\\.\\d{9}");
        assertThat(err()).contains("listening on lo, link type 1,").contains("\n25 packets captured\n")
                .contains("packets dropped by kernel");
    }

    @Test
    void aBpfFilterKeepsOnlyOnePort() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireTool("ip");
        Prerequisites.requireTool("tshark");
        Path file = tmp.resolve("f.pcapng");
        Path program = tmp.resolve("udp.bpf");
        Files.writeString(program, udpDstPortProgram(7777));
        try (PrivateNamespace ns = PrivateNamespace.create()) {
            int rc = runWithTraffic(ns, () -> {
                LiveTraffic.udp(7777, 2);
                LiveTraffic.udp(8888, 2);
                LiveTraffic.tcp("x".getBytes(StandardCharsets.US_ASCII));
            }, "-i", "lo", "-w", file.toString(), "-c", "10", "--filter-bpf", program.toString());
            assertThat(rc).as(err()).isZero();
        }
        assertThat(tshark("-r", file.toString(), "-T", "fields", "-e", "udp.dstport")).hasSize(10).containsOnly("7777");
    }

    @Test
    void aTcpdumpExpressionCompiledByLibpcapKeepsOnlyItsPackets() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireTool("ip");
        Prerequisites.requireTool("tshark");
        Prerequisites.require(dev.conntrace.packet.FilterCompiler.load().isPresent(), "libpcap is installed");
        Path file = tmp.resolve("port7.pcapng");
        try (PrivateNamespace ns = PrivateNamespace.create()) {
            int rc = runWithTraffic(ns, () -> {
                LiveTraffic.udp(7, 2); // udp port 7: not "tcp port 7"
                LiveTraffic.tcp("x".getBytes(StandardCharsets.US_ASCII)); // tcp, another port
                LiveTraffic.refusedTcp(7); // SYN and RST on tcp port 7
            }, "-i", "lo", "-w", file.toString(), "-c", "6", "--filter", "tcp port 7");
            assertThat(rc).as(err()).isZero();
        }
        List<String> ports = tshark("-r", file.toString(), "-T", "fields", "-e", "ip.proto", "-e", "tcp.srcport", "-e",
                "tcp.dstport");
        assertThat(ports).hasSize(6).allMatch(l -> l.startsWith("6\t") && (l.endsWith("\t7") || l.contains("\t7\t")));
    }

    @Test
    void aBadExpressionIsOneLineNamingItAndLibpcapsMessage() {
        Prerequisites.require(dev.conntrace.packet.FilterCompiler.load().isPresent(), "libpcap is installed");
        assertThat(run("-i", "lo", "-w", tmp.resolve("x").toString(), "--filter", "tcp port")).isEqualTo(2);
        assertThat(err()).startsWith("conntrace capture: cannot compile filter 'tcp port': ").contains("syntax error")
                .hasLineCount(1);
        assertThat(tmp.resolve("x")).doesNotExist();
    }

    @Test
    void sigtermStopsTheCaptureAndFlushesTheFile() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireTool("ip");
        Prerequisites.requireTool("tshark");
        Path file = tmp.resolve("t.pcapng");
        Path errFile = tmp.resolve("stderr");
        String java = ProcessHandle.current().info().command().orElse("java");
        try (PrivateNamespace ns = PrivateNamespace.create()) {
            Process p = new ProcessBuilder("ip", "netns", "exec", ns.name(), java, "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), "dev.conntrace.cli.Main", "capture", "-i", "lo", "-w",
                    file.toString()).redirectError(errFile.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (!Files.readString(errFile).contains("listening on") && p.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(Files.readString(errFile)).contains("listening on");
                ns.run(() -> LiveTraffic.udp(6666, 7));
                Thread.sleep(300); // the ring hands a block over after 50 ms
                p.destroy(); // SIGTERM
                assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            } finally {
                p.destroyForcibly();
            }
        }
        String stderr = Files.readString(errFile);
        assertThat(stderr).containsPattern("\n\\d+ packets captured\n\\d+ packets received by filter\n0 packets dropped by kernel\n");
        assertThat(tshark("-r", file.toString(), "-Y", "udp.dstport == 6666 && !icmp", "-T", "fields", "-e", "udp.dstport"))
                .hasSize(7);
    }

    @Test
    void badUsageIsStatus2AndAnUnknownInterfaceStatus1() throws Exception {
        assertThat(run("-w", tmp.resolve("x").toString())).isEqualTo(2);
        assertThat(run("-i", "lo", "-w", tmp.resolve("x").toString(), "--filter", "udp", "--filter-bpf", "-"))
                .isEqualTo(2);
        assertThat(err()).contains("give --filter or --filter-bpf, not both");
        Path bad = tmp.resolve("bad.bpf");
        Files.writeString(bad, "2\n6 0 0 0\n");
        assertThat(run("-i", "lo", "-w", tmp.resolve("x").toString(), "--filter-bpf", bad.toString())).isEqualTo(2);
        assertThat(err()).contains("announces 2 instructions");
        Prerequisites.requireRoot();
        err.reset();
        assertThat(run("-i", "no-such-if0", "-w", tmp.resolve("x").toString())).isEqualTo(1);
        assertThat(err()).isEqualTo("conntrace capture: no such interface: no-such-if0\n");
        err.reset();
        Path nowhere = tmp.resolve("no-dir").resolve("x.pcapng");
        assertThat(run("-i", "lo", "-w", nowhere.toString(), "-c", "1")).isEqualTo(1);
        assertThat(err()).contains("conntrace capture: cannot create " + nowhere + ": no such directory\n");
    }
}
