package dev.conntrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.packet.dns.DnsRcode;
import dev.conntrace.sys.PrivateNamespace;
import dev.conntrace.sys.testing.Prerequisites;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class DnsCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        DnsCommand cmd = new DnsCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CommandLine(cmd).setErr(new java.io.PrintWriter(err, true)).execute(args);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private List<String> lines() {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
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

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\"([^\"]*)\"|(\\d+))").matcher(json);
        return m.find() ? (m.group(2) != null ? m.group(2) : m.group(3)) : null;
    }

    /** Every response tshark shows is a transaction with a response here (same id, name, rcode); unanswered queries are timeouts. */
    @ParameterizedTest
    @ValueSource(strings = {"tcpdump--dns_tcp.pcap", "suricata-verify--dns-tcp-ts-gap_input.pcap",
        "tcpflow--tests_airsnort-linux-browser_page_load.pcap", "tcpflow--tests_test1.pcap",
        "zeek--pcapng-multi-interface.pcapng", "zeek--smtp.pcap"})
    void transactionsAgreeWithTshark(String name) throws Exception {
        Prerequisites.requireTool("tshark");
        Path pcap = capture(name);
        Process p = new ProcessBuilder("tshark", "-r", pcap.toString(), "-Y", "dns", "-T", "fields", "-e", "dns.id", "-e",
                "dns.flags.response", "-e", "dns.qry.name", "-e", "dns.flags.rcode")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> rows = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(rows).isNotEmpty();
        List<String> responses = new ArrayList<>();
        List<String> queries = new ArrayList<>();
        for (String row : rows) {
            String[] f = row.split("\t", -1);
            int id = Integer.decode(f[0]);
            String qname = f[2].split(",")[0];
            if (f[1].equals("1") || f[1].equals("True")) {
                responses.add(id + " " + qname + " " + DnsRcode.name(Integer.parseInt(f[3])));
            } else {
                queries.add(id + " " + qname);
            }
        }
        List<String> unanswered = new ArrayList<>(queries);
        unanswered.removeIf(q -> responses.stream().anyMatch(r -> r.startsWith(q + " ")));

        assertThat(run("-o", "json", pcap.toString())).isZero();
        List<String> answeredHere = new ArrayList<>();
        List<String> timeoutsHere = new ArrayList<>();
        for (String l : lines()) {
            String outcome = field(l, "outcome");
            String key = field(l, "id") + " " + field(l, "name");
            if (outcome.equals("timeout")) {
                timeoutsHere.add(key);
            } else {
                answeredHere.add(key + " " + field(l, "rcode"));
                if (outcome.equals("answered")) {
                    assertThat(Long.parseLong(field(l, "latency_ns"))).isPositive();
                }
            }
        }
        assertThat(answeredHere).containsExactlyInAnyOrderElementsOf(responses);
        assertThat(timeoutsHere).containsExactlyInAnyOrderElementsOf(unanswered);
    }

    @Test
    void tableShowsLatencyAndAnswers() {
        assertThat(run(capture("tcpflow--tests_test1.pcap").toString())).isZero();
        assertThat(lines()).hasSize(3);
        assertThat(lines().getFirst()).startsWith("TIME").contains("LATENCY_MS");
        assertThat(lines().get(1)).contains("2008-10-06T17:54:54.", "udp", "192.168.1.102:53518", "68.94.156.1:53", "15462",
                "answered", "www.google.com", " A ", "NOERROR", "24.810", "www.l.google.com,74.125.19.104");
        assertThat(err()).isEmpty();
    }

    @Test
    void aFilterExpressionSelectsThePacketsOfAFile() {
        Prerequisites.require(dev.conntrace.packet.FilterCompiler.load().isPresent(), "libpcap is installed");
        String pcap = capture("tcpflow--tests_test1.pcap").toString();
        assertThat(run("--filter", "udp port 53 and src port 53518 or src host 68.94.156.1", pcap)).isZero();
        assertThat(lines()).hasSize(3); // both transactions: the first query and both responses pass
        assertThat(lines().get(1)).contains("answered");
        out.reset();
        assertThat(run("--filter", "src port 53518 or src port 53", pcap)).isZero();
        assertThat(lines()).hasSize(3).anySatisfy(l -> assertThat(l).contains("www.google.com", "answered"))
                .anySatisfy(l -> assertThat(l).contains("clients1.google.com", "unsolicited"));
        out.reset();
        assertThat(run("--filter", "tcp", pcap)).isZero();
        assertThat(lines()).hasSize(1); // the header only
        err.reset();
        assertThat(run("--filter", "udp port", pcap)).isEqualTo(2);
        assertThat(err()).startsWith("conntrace dns: cannot compile filter 'udp port': ").hasLineCount(1);
    }

    @Test
    void usageErrors() {
        assertThat(run()).isEqualTo(2);
        assertThat(run("-i", "lo", "x.pcap")).isEqualTo(2);
        assertThat(run("-c", "3", "x.pcap")).isEqualTo(2);
        assertThat(run("-o", "xml", "x.pcap")).isEqualTo(2);
        assertThat(err().lines()).hasSize(4).allMatch(l -> l.startsWith("conntrace dns: "));
        err.reset();
        assertThat(run("-i", "lo", "--filter-bpf", "/no/such/filter.bpf")).isEqualTo(1);
        assertThat(err()).startsWith("conntrace dns: ").contains("filter.bpf");
        err.reset();
        assertThat(run("no-such.pcap")).isEqualTo(1);
        assertThat(err()).isEqualTo("conntrace dns: no such file: no-such.pcap\n");
    }

    private static byte[] query(int id, String name, boolean response) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) (id >> 8), (byte) id, (byte) (response ? 0x81 : 0x01), (byte) (response ? 0x83 : 0),
            0, 1, 0, 0, 0, 0, 0, 0});
        for (String label : name.split("\\.")) {
            b.write(label.length());
            b.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        b.writeBytes(new byte[] {0, 0, 1, 0, 1});
        return b.toByteArray();
    }

    @Test
    void liveTransactionsOnLoopback() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireTool("ip");
        int clientPort;
        try (PrivateNamespace ns = PrivateNamespace.create()) {
            CompletableFuture<Integer> rc = CompletableFuture.supplyAsync(() -> {
                try {
                    return ns.call(() -> run("-i", "lo", "--seconds", "3", "--timeout", "1", "-o", "json"));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!err().contains("listening on") && !rc.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            clientPort = ns.call(() -> {
                InetAddress lo = InetAddress.getLoopbackAddress();
                try (DatagramSocket server = new DatagramSocket(new InetSocketAddress(lo, 53));
                        DatagramSocket client = new DatagramSocket(new InetSocketAddress(lo, 0))) {
                    server.setSoTimeout(5000);
                    byte[] q = query(0x1234, "live.example", false);
                    client.send(new DatagramPacket(q, q.length, server.getLocalSocketAddress()));
                    DatagramPacket got = new DatagramPacket(new byte[512], 512);
                    server.receive(got);
                    byte[] r = query(0x1234, "live.example", true);
                    server.send(new DatagramPacket(r, r.length, got.getSocketAddress()));
                    byte[] lost = query(0x5678, "lost.example", false);
                    client.send(new DatagramPacket(lost, lost.length, server.getLocalSocketAddress()));
                    return client.getLocalPort();
                }
            });
            assertThat(rc.get(20, TimeUnit.SECONDS)).as(err()).isZero();
        }
        List<String> lines = lines();
        assertThat(lines).hasSize(2);
        assertThat(field(lines.get(0), "outcome")).isEqualTo("answered");
        assertThat(field(lines.get(0), "name")).isEqualTo("live.example");
        assertThat(field(lines.get(0), "rcode")).isEqualTo("NXDOMAIN");
        assertThat(field(lines.get(0), "client")).isEqualTo("127.0.0.1");
        assertThat(field(lines.get(0), "cport")).isEqualTo(Integer.toString(clientPort));
        assertThat(Long.parseLong(field(lines.get(0), "latency_ns"))).isPositive();
        assertThat(field(lines.get(1), "outcome")).isEqualTo("timeout");
        assertThat(field(lines.get(1), "id")).isEqualTo(Integer.toString(0x5678));
        assertThat(field(lines.get(1), "name")).isEqualTo("lost.example");
    }

    /** A NOERROR response to {@code query} with {@code count} A records 192.0.2.N (compressed names). */
    private static byte[] responseWithAddresses(byte[] query, int count) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.writeBytes(query);
        byte[] r = b.toByteArray();
        r[2] = (byte) 0x81;
        r[3] = (byte) 0x80;
        r[6] = (byte) (count >>> 8);
        r[7] = (byte) count;
        b.reset();
        b.writeBytes(r);
        for (int i = 0; i < count; i++) {
            b.writeBytes(new byte[] {(byte) 0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, (byte) 192, 0, 2, (byte) i});
        }
        return b.toByteArray();
    }

    @Test
    void aResponseFragmentedByTheKernelIsReassembled() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireTool("ip");
        int answers = 200; // 200 * 16 bytes: about 3.2 KB, three fragments at an MTU of 1280
        try (PrivateNamespace ns = PrivateNamespace.create()) {
            ns.exec("ip", "link", "set", "lo", "mtu", "1280");
            CompletableFuture<Integer> rc = CompletableFuture.supplyAsync(() -> {
                try {
                    return ns.call(() -> run("-i", "lo", "--seconds", "3", "-o", "json"));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!err().contains("listening on") && !rc.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            ns.run(() -> {
                InetAddress lo = InetAddress.getLoopbackAddress();
                try (DatagramSocket server = new DatagramSocket(new InetSocketAddress(lo, 53));
                        DatagramSocket client = new DatagramSocket(new InetSocketAddress(lo, 0))) {
                    server.setSoTimeout(5000);
                    client.setSoTimeout(5000);
                    byte[] q = query(0x4321, "big.example", false);
                    client.send(new DatagramPacket(q, q.length, server.getLocalSocketAddress()));
                    DatagramPacket got = new DatagramPacket(new byte[512], 512);
                    server.receive(got);
                    byte[] r = responseWithAddresses(q, answers);
                    server.send(new DatagramPacket(r, r.length, got.getSocketAddress()));
                    DatagramPacket back = new DatagramPacket(new byte[8192], 8192);
                    client.receive(back); // the kernel put it back together too
                    assertThat(back.getLength()).isEqualTo(r.length);
                }
            });
            assertThat(rc.get(20, TimeUnit.SECONDS)).as(err()).isZero();
        }
        List<String> lines = lines();
        assertThat(lines).hasSize(1);
        assertThat(field(lines.getFirst(), "outcome")).isEqualTo("answered");
        assertThat(field(lines.getFirst(), "rcode")).isEqualTo("NOERROR");
        assertThat(lines.getFirst().split("\"type\":\"A\"", -1)).hasSize(answers + 2); // the question's type too
        assertThat(lines.getFirst()).contains("192.0.2.199");
        assertThat(err()).contains("3 IP fragments: 1 datagram(s) reassembled, 0 incomplete");
    }
}
