package dev.conntrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.packet.CaptureFile;
import dev.conntrace.packet.DecodedPacket;
import dev.conntrace.packet.LiveCapture;
import dev.conntrace.packet.PacketDecoder;
import dev.conntrace.packet.PacketSource;
import dev.conntrace.sys.NetNamespace;
import dev.conntrace.sys.PrivateNamespace;
import dev.conntrace.sys.testing.Prerequisites;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code --fanout} of the live commands: its spelling, the kernel's refusals, and members sharing a veth's flows. */
class FanoutCaptureTest {
    private static final String CLIENT_IP = "10.231.7.1";
    private static final String SERVER_IP = "10.231.7.2";
    /**
     * Connections made. In hash mode each flow goes to one of the two members with probability 1/2 each (the
     * kernel's flow hash), so all of them landing on one member has probability 2 * 2^-48 (about 7e-15): when
     * that assertion fails, the flows were not spread.
     */
    private static final int FLOWS = 48;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path tmp;

    private int run(Object command, String... args) {
        return new CommandLine(command).setErr(new java.io.PrintWriter(err, true)).execute(args);
    }

    private PrintStream errStream() {
        return new PrintStream(err, true, StandardCharsets.UTF_8);
    }

    private PrintStream nowhere() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"capture", "streams", "dns"})
    void aBadIdOrModeIsOneLineNamingItAndStatus2(String command) {
        String[][] cases = {{"65536", "fanout group '65536' is not a number in 0..65535"},
            {"7:round", "unknown fanout mode 'round' (hash, lb, cpu, rollover, random, qm)"},
            {"7:hash,frag", "unknown fanout flag 'frag' (defrag)"}};
        for (String[] c : cases) {
            err.reset();
            assertThat(run(command(command), args(command, "lo", "--fanout", c[0]))).isEqualTo(2);
            assertThat(err()).isEqualTo("conntrace " + command + ": " + c[1] + "\n");
        }
    }

    @Test
    void fanoutOnAFileIsAUsageError() {
        assertThat(run(new StreamsCommand(nowhere(), errStream()), "--fanout", "3", "x.pcap")).isEqualTo(2);
        assertThat(run(new DnsCommand(nowhere(), errStream()), "--fanout", "3", "x.pcap")).isEqualTo(2);
        assertThat(err().lines()).containsExactly(
                "conntrace streams: -c, --seconds, --filter-bpf and --fanout apply to live capture (-i)",
                "conntrace dns: -c, --seconds, --filter-bpf and --fanout apply to live capture (-i)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"capture", "streams", "dns"})
    void aGroupWithAnotherModeIsRefusedWithTheErrnoMeaningAndStatus1(String command) throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireTool("ip");
        LiveCapture.Options small = new LiveCapture.Options(1 << 16, 2, 10, 100);
        try (PrivateNamespace ns = PrivateNamespace.create();
                LiveCapture lb = ns.call(() -> LiveCapture.open("lo", small.withFanout(dev.conntrace.packet.Fanout.parse("9:lb"))))) {
            assertThat(lb.interfaceLinkType()).isPositive();
            int rc = ns.call(() -> run(command(command), args(command, "lo", "--fanout", "9", "--seconds", "1")));
            assertThat(rc).isEqualTo(1);
            assertThat(err()).isEqualTo("conntrace " + command + ": cannot join fanout group 9:hash on lo: EINVAL "
                    + "(Invalid argument): the group exists with another mode or flags, or on another interface\n");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"streams", "dns"})
    void aModeThatSplitsConnectionsIsWarnedAbout(String command) throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireTool("ip");
        try (PrivateNamespace ns = PrivateNamespace.create()) {
            assertThat(ns.call(() -> run(command(command), args(command, "lo", "--fanout", "5:lb", "--seconds", "1"))))
                    .as(err()).isZero();
            assertThat(err()).contains("conntrace " + command + ": listening on lo, fanout group 5:lb\n"
                    + "conntrace " + command + ": warning: fanout mode lb spreads a connection's packets over the group's "
                    + "processes; hash keeps each one in one process\n");
            err.reset();
            assertThat(ns.call(() -> run(command(command), args(command, "lo", "--fanout", "5:lb,defrag", "--seconds", "1"))))
                    .as("a group's mode and flags are fixed while it has members: this one has none left").isZero();
            err.reset();
            assertThat(ns.call(() -> run(command(command), args(command, "lo", "--fanout", "6:hash,defrag", "--seconds", "1"))))
                    .isZero();
            assertThat(err()).contains("listening on lo, fanout group 6:hash,defrag\n").doesNotContain("warning");
        }
    }

    private Object command(String name) {
        return switch (name) {
            case "capture" -> new CaptureCommand(nowhere(), errStream(), new ByteArrayInputStream(new byte[0]));
            case "streams" -> new StreamsCommand(nowhere(), errStream());
            case "dns" -> new DnsCommand(nowhere(), errStream());
            default -> throw new IllegalArgumentException(name);
        };
    }

    private String[] args(String command, String iface, String... more) {
        List<String> a = new ArrayList<>(List.of("-i", iface));
        if (command.equals("capture")) {
            a.addAll(List.of("-w", tmp.resolve("refused.pcapng").toString()));
        }
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    /** {@code tcpdump -ddd ip proto 6} for Ethernet: IPv4 TCP only, so neighbour discovery cannot blur the counts. */
    private static final String TCP_V4 = """
            6
            40 0 0 12
            21 0 3 2048
            48 0 0 23
            21 0 1 6
            6 0 0 262144
            6 0 0 0
            """;

    @Test
    void twoCaptureProcessesInOneHashGroupShareAVethsFlowsWholeAndTogetherSeeEverything() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireTool("ip");
        String tag = TestNetns.unique("capfan-");
        String clientNs = tag + "-c";
        String serverNs = tag + "-s";
        Path filter = Files.writeString(tmp.resolve("tcp.bpf"), TCP_V4);
        List<Process> started = new ArrayList<>();
        try {
            TestNetns.ip("netns", "add", clientNs);
            TestNetns.ip("netns", "add", serverNs);
            TestNetns.ip("-n", clientNs, "link", "add", "cf0", "type", "veth", "peer", "name", "cf1", "netns", serverNs);
            TestNetns.ip("-n", clientNs, "addr", "add", CLIENT_IP + "/24", "dev", "cf0");
            TestNetns.ip("-n", serverNs, "addr", "add", SERVER_IP + "/24", "dev", "cf1");
            TestNetns.ip("-n", clientNs, "link", "set", "cf0", "up");
            TestNetns.ip("-n", serverNs, "link", "set", "cf1", "up");
            TestNetns.ip("-n", clientNs, "link", "set", "lo", "up");
            TestNetns.ip("-n", serverNs, "link", "set", "lo", "up");

            String[] names = {"a", "b", "all"};
            for (String name : names) {
                List<String> line = new ArrayList<>(List.of("ip", "netns", "exec", clientNs,
                        ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED", "-cp",
                        System.getProperty("java.class.path"), "dev.conntrace.cli.Main", "capture", "-i", "cf0", "-w",
                        tmp.resolve(name + ".pcapng").toString(), "-B", "32768", "--filter-bpf", filter.toString()));
                if (!name.equals("all")) {
                    line.addAll(List.of("--fanout", "4242:hash"));
                }
                started.add(new ProcessBuilder(line).redirectError(tmp.resolve(name + ".err").toFile())
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
            }
            long deadline = System.nanoTime() + 60_000_000_000L;
            for (String name : names) {
                while (!Files.readString(tmp.resolve(name + ".err")).contains("listening on")
                        && started.stream().allMatch(Process::isAlive) && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(Files.readString(tmp.resolve(name + ".err"))).as(name).contains("listening on cf0");
            }
            assertThat(Files.readString(tmp.resolve("a.err"))).contains(", fanout group 4242:hash");

            try (NetNamespace server = NetNamespace.named(serverNs); NetNamespace client = NetNamespace.named(clientNs)) {
                ServerSocket listener = server.call(() -> new ServerSocket(7000, FLOWS, InetAddress.getByName(SERVER_IP)));
                try (listener) {
                    Thread acceptor = Thread.ofPlatform().daemon().start(() -> serve(listener));
                    client.run(() -> {
                        for (int i = 0; i < FLOWS; i++) {
                            connectOnce(i);
                        }
                    });
                    acceptor.join(10_000);
                }
            }
            Thread.sleep(300); // the ring hands a block over after 10 ms; the processes read it
            for (Process p : started) {
                p.destroy(); // SIGTERM
            }
            for (Process p : started) {
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as("exit status after SIGTERM").isIn(0, 143);
            }
        } finally {
            for (Process p : started) {
                p.destroyForcibly();
            }
            TestNetns.deleteQuietly(clientNs);
            TestNetns.deleteQuietly(serverNs);
        }
        long[] countsA = counts(tmp.resolve("a.err"));
        long[] countsB = counts(tmp.resolve("b.err"));
        long[] countsAll = counts(tmp.resolve("all.err"));
        // the kernel's count of each socket's packets includes those its ring had no room for (a reader stalled on a
        // loaded machine): the members' counts add up to the third socket's whether or not packets were dropped
        assertThat(countsA[1] + countsB[1]).as("packets the kernel gave the members together").isEqualTo(countsAll[1]);
        Map<Long, Integer> a = packetsPerFlow(tmp.resolve("a.pcapng"));
        Map<Long, Integer> b = packetsPerFlow(tmp.resolve("b.pcapng"));
        Map<Long, Integer> all = packetsPerFlow(tmp.resolve("all.pcapng"));
        assertThat(sum(a)).isEqualTo(countsA[0]);
        assertThat(sum(b)).isEqualTo(countsB[0]);
        assertThat(sum(all)).isEqualTo(countsAll[0]);
        boolean dropped = countsA[2] + countsB[2] + countsAll[2] > 0;
        if (!dropped) {
            assertThat(sum(a) + sum(b)).as("the members together wrote every packet, each once").isEqualTo(sum(all));
            assertThat(all).as("every connection seen by the capture outside the group").hasSize(FLOWS);
            assertThat(all.values()).allMatch(n -> n >= 6, "handshake, request, reply and closes in each flow");
        }
        for (Map.Entry<Long, Integer> flow : all.entrySet()) {
            int inA = a.getOrDefault(flow.getKey(), 0);
            int inB = b.getOrDefault(flow.getKey(), 0);
            if (!dropped) {
                assertThat(inA + inB).as("packets of client port %d", flow.getKey()).isEqualTo(flow.getValue());
            }
            assertThat(inA == 0 || inB == 0).as("client port %d's packets all on one member (%d and %d)",
                    flow.getKey(), inA, inB).isTrue();
        }
        assertThat(a).as("flows on the first member").isNotEmpty();
        assertThat(b).as("flows on the second member").isNotEmpty();
    }

    /** A capture's "N packets captured", "N packets received by filter" and "N packets dropped by kernel". */
    private static long[] counts(Path stderr) throws IOException {
        String text = Files.readString(stderr);
        String[] what = {"packets? captured", "packets received by filter", "packets dropped by kernel"};
        long[] counts = new long[3];
        for (int i = 0; i < 3; i++) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^(\\d+) " + what[i] + "$").matcher(text);
            assertThat(m.find()).as("%s in %s", what[i], text).isTrue();
            counts[i] = Long.parseLong(m.group(1));
        }
        return counts;
    }

    /** Accepts {@link #FLOWS} connections one by one: reads each request to its end and answers it. */
    private static void serve(ServerSocket listener) {
        try {
            listener.setSoTimeout(10_000);
            for (int i = 0; i < FLOWS; i++) {
                try (Socket s = listener.accept()) {
                    s.setSoTimeout(5_000);
                    byte[] request = s.getInputStream().readAllBytes();
                    s.getOutputStream().write(("got " + request.length).getBytes(StandardCharsets.US_ASCII));
                }
            }
        } catch (IOException e) {
            // the client side fails its read and the test with it
        }
    }

    private static void connectOnce(int i) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getByName(SERVER_IP), 7000), 5_000);
            s.setSoTimeout(5_000);
            byte[] request = new byte[100 + i];
            s.getOutputStream().write(request);
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            String reply = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            if (!reply.equals("got " + request.length)) {
                throw new IOException("connection " + i + ": reply '" + reply + "'");
            }
        }
    }

    /** TCP packets per flow, keyed by the client's port (the server's is 7000), of a capture file. */
    private static Map<Long, Integer> packetsPerFlow(Path file) throws IOException {
        Map<Long, Integer> flows = new HashMap<>();
        DecodedPacket p = new DecodedPacket();
        try (PacketSource s = CaptureFile.open(file)) {
            while (s.next()) {
                PacketDecoder.decode(s.linkType(), s.data(), s.dataOffset(), s.captureLength(), s.originalLength(), p);
                assertThat(p.isTcp()).as("the filter keeps TCP only").isTrue();
                long clientPort = p.srcPort() == 7000 ? p.dstPort() : p.srcPort();
                flows.merge(clientPort, 1, Integer::sum);
            }
        }
        return flows;
    }

    private static long sum(Map<Long, Integer> flows) {
        return flows.values().stream().mapToLong(Integer::longValue).sum();
    }
}
