package dev.conntrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.sys.NetNamespace;
import dev.conntrace.sys.testing.Prerequisites;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code streams} puts TCP segments split into IP fragments back together before reassembling them. */
class StreamsFragmentsTest {
    @TempDir
    Path tmp;

    private record Run(int status, List<String> records, String err) {}

    private static Run streams(String... args) {
        return streams(new ByteArrayOutputStream(), args);
    }

    private static Run streams(ByteArrayOutputStream err, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StreamsCommand cmd = new StreamsCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        int rc = new CommandLine(cmd).setErr(new java.io.PrintWriter(err, true)).execute(args);
        return new Run(rc, out.toString(StandardCharsets.UTF_8).lines().toList(), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void shuffledFragmentsGiveTheRecordsOfTheWholeSegments(boolean v6) throws Exception {
        Path whole = tmp.resolve("whole.pcap");
        Path fragmented = tmp.resolve("fragmented.pcap");
        FragmentedTcpCapture.write(whole, v6, FragmentedTcpCapture.Variant.WHOLE, 7);
        FragmentedTcpCapture f = FragmentedTcpCapture.write(fragmented, v6, FragmentedTcpCapture.Variant.FRAGMENTED, 7);
        assertThat(f.fragmentedSegments).isEqualTo(2 * (3 + 7));
        assertThat(f.fragments).isGreaterThan(2 * f.fragmentedSegments);

        Run expected = streams("-o", "json", whole.toString());
        assertThat(expected.status()).isZero();
        assertThat(expected.err()).isEmpty();
        assertThat(expected.records()).hasSize(4).allMatch(r -> r.contains("\"missing\":0") && r.contains("\"end\":\"fin\""))
                .anyMatch(r -> r.contains("\"bytes\":" + FragmentedTcpCapture.REQUEST))
                .anyMatch(r -> r.contains("\"bytes\":" + FragmentedTcpCapture.RESPONSE));
        Run actual = streams("-o", "json", fragmented.toString());
        assertThat(actual.status()).isZero();
        assertThat(actual.records()).as("records, sha256 included").isEqualTo(expected.records());
        assertThat(actual.err()).isEqualTo("conntrace streams: " + f.fragments + " IP fragments: " + f.fragmentedSegments
                + " datagram(s) reassembled, 0 incomplete\n");
        // the table too
        assertThat(streams(fragmented.toString()).records()).isEqualTo(streams(whole.toString()).records());
    }

    private static String withoutLastAndPackets(String record) {
        return record.replaceAll("\"last\":\"[^\"]*\",\"packets\":\\d+,", "");
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void overlappingFragmentsAreCountedAndAnIncompleteSegmentIsAGap(boolean v6) throws Exception {
        Path whole = tmp.resolve("whole.pcap");
        Path damaged = tmp.resolve("damaged.pcap");
        FragmentedTcpCapture.write(whole, v6, FragmentedTcpCapture.Variant.WHOLE, 11);
        FragmentedTcpCapture d = FragmentedTcpCapture.write(damaged, v6, FragmentedTcpCapture.Variant.DAMAGED, 11);
        assertThat(d.lostSegmentBytes).isPositive();

        Run expected = streams("-o", "json", whole.toString());
        Run actual = streams("-o", "json", damaged.toString());
        assertThat(actual.status()).isZero();
        Matcher m = Pattern.compile("conntrace streams: (\\d+) IP fragments: (\\d+) datagram\\(s\\) reassembled, 1 incomplete, "
                + "(\\d+) overlapping byte\\(s\\) ignored\n").matcher(actual.err());
        assertThat(m.matches()).as(actual.err()).isTrue();
        assertThat(Long.parseLong(m.group(1))).isEqualTo(d.fragments);
        assertThat(Long.parseLong(m.group(2))).isEqualTo(d.fragmentedSegments - 1);
        assertThat(Long.parseLong(m.group(3))).isPositive();
        assertThat(actual.records()).hasSize(4);
        for (int i = 0; i < 4; i++) {
            String e = expected.records().get(i);
            String a = actual.records().get(i);
            if (e.contains("\"stream\":0,") && e.contains("\"dir\":\"s2c\"")) {
                // the segment that never completed is missing; the rest of the direction is intact
                assertThat(a).contains("\"missing\":" + d.lostSegmentBytes, "\"bytes\":" + (FragmentedTcpCapture.RESPONSE - d.lostSegmentBytes))
                        .isNotEqualTo(e);
            } else if (e.contains("\"stream\":0,")) {
                // its connection ends later (the gap in the other direction): one more packet, a later last
                assertThat(withoutLastAndPackets(a)).as("a direction whose fragments all came (one of them twice, overlapping)")
                        .isEqualTo(withoutLastAndPackets(e));
            } else {
                assertThat(a).as("a connection whose fragments all came").isEqualTo(e);
            }
        }
    }

    /**
     * Live: a router namespace forwards a TCP transfer onto a link with a smaller MTU, and the sender does not
     * set DF (ip_no_pmtu_disc), so the router splits the segments into IPv4 fragments on their way to the
     * receiver, where {@code streams -i} puts them back together.
     */
    @Test
    void liveFragmentsFromARouterAreReassembled() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireTool("ip");
        Prerequisites.requireTool("sysctl");
        String tag = TestNetns.unique("capfan-");
        String sender = tag + "-a";
        String router = tag + "-r";
        String receiver = tag + "-b";
        byte[] data = new byte[200_000];
        new java.util.Random(3).nextBytes(data);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        try {
            for (String ns : List.of(sender, router, receiver)) {
                TestNetns.ip("netns", "add", ns);
                TestNetns.ip("-n", ns, "link", "set", "lo", "up");
            }
            TestNetns.ip("-n", sender, "link", "add", "fa0", "type", "veth", "peer", "name", "fr0", "netns", router);
            TestNetns.ip("-n", router, "link", "add", "fr1", "mtu", "1000", "type", "veth", "peer", "name", "fb0", "netns",
                    receiver);
            TestNetns.ip("-n", sender, "addr", "add", "10.232.1.1/24", "dev", "fa0");
            TestNetns.ip("-n", router, "addr", "add", "10.232.1.2/24", "dev", "fr0");
            TestNetns.ip("-n", router, "addr", "add", "10.232.2.1/24", "dev", "fr1");
            TestNetns.ip("-n", receiver, "addr", "add", "10.232.2.2/24", "dev", "fb0");
            TestNetns.ip("-n", sender, "link", "set", "fa0", "up");
            TestNetns.ip("-n", router, "link", "set", "fr0", "up");
            TestNetns.ip("-n", router, "link", "set", "fr1", "up");
            TestNetns.ip("-n", receiver, "link", "set", "fb0", "up");
            TestNetns.ip("-n", sender, "route", "add", "default", "via", "10.232.1.2");
            TestNetns.ip("-n", receiver, "route", "add", "default", "via", "10.232.2.1");
            TestNetns.exec(router, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
            TestNetns.exec(sender, "sysctl", "-q", "-w", "net.ipv4.ip_no_pmtu_disc=1");

            ByteArrayOutputStream err = new ByteArrayOutputStream();
            try (NetNamespace b = NetNamespace.named(receiver); NetNamespace a = NetNamespace.named(sender)) {
                CompletableFuture<Run> live = CompletableFuture.supplyAsync(() -> {
                    try {
                        return b.call(() -> streams(err, "-i", "fb0", "--seconds", "4", "-o", "json"));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (!err.toString(StandardCharsets.UTF_8).contains("listening on") && !live.isDone()
                        && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                ServerSocket listener = b.call(() -> new ServerSocket(8080, 1, InetAddress.getByName("10.232.2.2")));
                try (listener) {
                    // its own thread: the common pool's may all be busy (the capture holds one), and a receiver
                    // that does not read closes the window
                    java.util.concurrent.FutureTask<Long> received = new java.util.concurrent.FutureTask<>(() -> {
                        try (Socket s = listener.accept(); InputStream in = s.getInputStream()) {
                            s.setSoTimeout(10_000);
                            return in.transferTo(OutputStream.nullOutputStream());
                        }
                    });
                    Thread.ofPlatform().daemon().start(received);
                    a.run(() -> {
                        try (Socket s = new Socket()) {
                            s.connect(new InetSocketAddress(InetAddress.getByName("10.232.2.2"), 8080), 5_000);
                            s.getOutputStream().write(data);
                        }
                    });
                    assertThat(received.get(20, TimeUnit.SECONDS)).isEqualTo(data.length);
                }
                Run r = live.get(30, TimeUnit.SECONDS);
                assertThat(r.status()).as(r.err()).isZero();
                String c2s = r.records().stream().filter(l -> l.contains("\"dir\":\"c2s\"")).findFirst().orElseThrow();
                assertThat(c2s).as(r.records() + r.err()).contains("\"src\":\"10.232.1.1\"", "\"bytes\":" + data.length, "\"missing\":0",
                        "\"sha256\":\"" + sha + "\"");
                Matcher m = Pattern.compile("conntrace streams: (\\d+) IP fragments: (\\d+) datagram\\(s\\) reassembled, "
                        + "0 incomplete\n").matcher(r.err());
                assertThat(m.find()).as("the router fragmented the segments: " + r.err()).isTrue();
                assertThat(Long.parseLong(m.group(1))).isGreaterThanOrEqualTo(2 * Long.parseLong(m.group(2)));
                assertThat(Long.parseLong(m.group(2))).isGreaterThanOrEqualTo(data.length / 1500);
            }
        } finally {
            for (String ns : List.of(sender, router, receiver)) {
                TestNetns.deleteQuietly(ns);
            }
        }
    }
}
