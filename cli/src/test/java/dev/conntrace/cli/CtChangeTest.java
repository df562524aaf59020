package dev.conntrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.cli.CtCommandTest.Run;
import dev.conntrace.sys.PrivateNamespace;
import dev.conntrace.sys.testing.Prerequisites;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code ct} commands that change the table, each in a fresh namespace, checked with conntrack-tools. */
class CtChangeTest {

    /** A fresh namespace where an nft rule makes conntrack track locally sent flows. */
    static PrivateNamespace namespace() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireTool("nft");
        Prerequisites.requireTool("conntrack");
        PrivateNamespace ns = PrivateNamespace.create();
        try {
            ns.exec("sh", "-c", "nft add table inet t && nft add chain inet t c '{ type filter hook output priority 0; }'"
                    + " && nft add rule inet t c ct state new accept");
            return ns;
        } catch (Exception | Error e) {
            ns.close();
            throw e;
        }
    }

    /** Runs {@code conntrace ct ARGS --netns NS} in this JVM. */
    static Run ct(PrivateNamespace ns, String... args) {
        List<String> a = new ArrayList<>(List.of("ct"));
        a.addAll(Arrays.asList(args));
        a.add("--netns");
        a.add(ns.name());
        return CtCommandTest.run(a.toArray(String[]::new));
    }

    private static List<String> conntrackLines(PrivateNamespace ns, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("conntrack"));
        cmd.addAll(Arrays.asList(args));
        cmd.addAll(List.of("-o", "extended"));
        return ns.exec(cmd.toArray(String[]::new)).lines().map(CtKernelTest::withoutTimeout).sorted().toList();
    }

    private static final String[] TCP = {"-p", "tcp", "-s", "1.1.1.1", "-d", "2.2.2.2", "--sport", "1", "--dport", "2"};

    private static String[] with(String[] head, String... tail) {
        String[] all = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    @Test
    void createGetUpdateDeleteLikeConntrack() throws Exception {
        try (PrivateNamespace ns = namespace()) {
            Run created = ct(ns, with(with(new String[] {"create"}, TCP), "--state", "ESTABLISHED", "-t", "100",
                    "-u", "ASSURED,SEEN_REPLY", "-m", "5"));
            assertThat(created.status()).as(created.err()).isZero();
            assertThat(created.err()).isEqualTo("conntrace: 1 flow entries have been created.\n");
            ct(ns, "-I", "-p", "icmp", "-s", "1.1.1.1", "-d", "2.2.2.2", "--icmp-type", "8", "--icmp-code", "0",
                    "--icmp-id", "7", "-t", "30");
            ct(ns, "-I", "-p", "udp", "-s", "2001:db8::1", "-d", "2001:db8::2", "--sport", "5", "--dport", "53",
                    "-t", "50", "-r", "2001:db8::9", "--reply-port-src", "5353");

            Run again = ct(ns, with(with(new String[] {"-I"}, TCP), "-t", "100"));
            assertThat(again.status()).isEqualTo(1);
            assertThat(again.err().strip()).isEqualTo("conntrace: the flow already exists (EEXIST)");

            Run zoned = ct(ns, with(with(new String[] {"create"}, TCP), "-t", "100", "-w", "4", "--state", "SYN_SENT"));
            assertThat(zoned.status()).as(zoned.err()).isZero();
            Run got = ct(ns, with(with(new String[] {"get"}, TCP), "-o", "conntrack"));
            assertThat(got.status()).as(got.err()).isZero();
            assertThat(got.out().lines().map(CtKernelTest::withoutTimeout).toList())
                    .isEqualTo(conntrackLines(ns, with(new String[] {"-G"}, TCP)))
                    .singleElement().asString().contains("mark=5", "[ASSURED]").doesNotContain("zone=");
            Run gotZoned = ct(ns, with(with(new String[] {"get"}, TCP), "-w", "4", "-o", "conntrack"));
            // A get holds a reference while it answers: use= is one higher than in a dump.
            assertThat(gotZoned.out().lines().map(CtKernelTest::withoutTimeout).map(CtChangeTest::noUse).toList())
                    .isEqualTo(conntrackLines(ns, "-L", "-w", "4").stream().map(CtChangeTest::noUse).toList())
                    .singleElement().asString().endsWith(" zone=4");
            Run icmp = ct(ns, "-G", "-p", "icmp", "-s", "1.1.1.1", "-d", "2.2.2.2", "--icmp-type", "8",
                    "--icmp-code", "0", "--icmp-id", "7", "-o", "conntrack");
            assertThat(icmp.out().lines().map(CtKernelTest::withoutTimeout).toList()).isEqualTo(conntrackLines(ns, "-G",
                    "-p", "icmp", "-s", "1.1.1.1", "-d", "2.2.2.2", "--icmp-type", "8", "--icmp-code", "0",
                    "--icmp-id", "7")).hasSize(1);
            assertThat(conntrackLines(ns, "-L", "-f", "ipv6")).singleElement().asString()
                    .contains("src=2001:db8::9 dst=2001:db8::1 sport=5353 dport=5");

            Run missing = ct(ns, "get", "-p", "tcp", "-s", "1.1.1.1", "-d", "2.2.2.2", "--sport", "1", "--dport", "9");
            assertThat(missing.status()).isEqualTo(1);
            assertThat(missing.err()).isEqualTo("conntrace: no such flow\n");
            assertThat(missing.out()).isEmpty();

            Run updated = ct(ns, with(with(new String[] {"update"}, TCP), "-m", "0x30/0xf0", "-t", "500"));
            assertThat(updated.status()).as(updated.err()).isZero();
            assertThat(updated.err()).isEqualTo("conntrace: 1 flow entries have been updated.\n");
            String line = conntrackLines(ns, with(new String[] {"-G"}, TCP)).getFirst();
            assertThat(line).contains("mark=53");
            assertThat(ns.exec(with(new String[] {"conntrack", "-G"}, TCP)).split(" +")[2])
                    .satisfies(t -> assertThat(Integer.parseInt(t)).isGreaterThan(400));
            Run updateMissing = ct(ns, "-U", "-p", "tcp", "-s", "1.1.1.1", "-d", "2.2.2.2", "--sport", "1",
                    "--dport", "9", "-m", "1");
            assertThat(updateMissing.status()).isEqualTo(1);
            assertThat(updateMissing.err()).isEqualTo("conntrace: no such flow\n");
            Run byFilter = ct(ns, "-U", "-s", "1.1.1.1", "-m", "9");
            assertThat(byFilter.err()).isEqualTo("conntrace: 3 flow entries have been updated.\n");
            assertThat(conntrackLines(ns, "-L", "-m", "9")).hasSize(3);

            Run deleteMissing = ct(ns, "delete", "-p", "tcp", "-s", "1.1.1.1", "-d", "2.2.2.2", "--sport", "1",
                    "--dport", "2", "-w", "5");
            assertThat(deleteMissing.status()).isEqualTo(1);
            assertThat(deleteMissing.err()).isEqualTo("conntrace: no such flow\n");
            Run deleted = ct(ns, with(with(new String[] {"delete"}, TCP), "-w", "4"));
            assertThat(deleted.status()).as(deleted.err()).isZero();
            assertThat(deleted.err()).isEqualTo("conntrace: 1 flow entries have been deleted.\n");
            assertThat(conntrackLines(ns, "-L")).hasSize(3).noneMatch(l -> l.contains("zone=4"));

            Run none = ct(ns, "-D", "-p", "sctp");
            assertThat(none.status()).isZero();
            assertThat(none.err()).isEqualTo("conntrace: 0 flow entries have been deleted.\n");
            assertThat(ct(ns, "-D", "-p", "tcp", "-m", "9").err()).isEqualTo("conntrace: 1 flow entries have been deleted.\n");
            Run v6 = ct(ns, "-D", "-f", "ipv6");
            assertThat(v6.err()).isEqualTo("conntrace: 1 flow entries have been deleted.\n");
            assertThat(conntrackLines(ns, "-L")).singleElement().asString().startsWith("ipv4 2 icmp");
        }
    }

    @Test
    void flushByFamilyCountAndStats() throws Exception {
        try (PrivateNamespace ns = namespace()) {
            ns.exec("sh", "-c", "conntrack -I -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2 --state SYN_SENT -t 100"
                    + " && conntrack -I -p udp -s 2001:db8::1 -d 2001:db8::2 --sport 5 --dport 53 -t 50");
            Run flushed = ct(ns, "-F", "-f", "ipv6");
            assertThat(flushed.status()).as(flushed.err()).isZero();
            assertThat(flushed.err()).isEqualTo("conntrace: connection tracking table has been emptied.\n");
            assertThat(conntrackLines(ns, "-L")).singleElement().asString().startsWith("ipv4");
            assertThat(ct(ns, "count").out().strip()).isEqualTo(ns.exec("conntrack", "-C").strip()).isEqualTo("1");
            assertThat(ct(ns, "flush").status()).isZero();
            assertThat(ns.exec("conntrack", "-C").strip()).isEqualTo("0");

            Run stats = ct(ns, "-S");
            assertThat(stats.status()).as(stats.err()).isZero();
            assertThat(stats.out()).isEqualTo(ns.exec("conntrack", "-S")).startsWith("cpu=0   \tfound=")
                    .contains(" insert=");
        }
    }

    @Test
    void listZeroesCountersAndFlushSelectsByMark() throws Exception {
        try (PrivateNamespace ns = namespace()) {
            ns.exec("sh", "-c", "ip link set lo up && sysctl -qw net.netfilter.nf_conntrack_acct=1"
                    + " && conntrack -I -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2 --state SYN_SENT -t 100 -m 1"
                    + " && conntrack -I -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 2 --dport 2 --state SYN_SENT -t 100 -m 2"
                    + " && conntrack -I -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 3 --dport 2 --state SYN_SENT -t 100 -m 17");
            ns.run(() -> {
                try (java.nio.channels.DatagramChannel ch = java.nio.channels.DatagramChannel.open()) {
                    for (int i = 0; i < 3; i++) {
                        ch.send(java.nio.ByteBuffer.wrap(new byte[10]), new java.net.InetSocketAddress("127.0.0.2", 9));
                    }
                }
            });
            Run zeroed = ct(ns, "list", "-z", "-f", "ipv4", "-o", "conntrack");
            assertThat(zeroed.status()).as(zeroed.err()).isZero();
            assertThat(zeroed.out().lines().filter(l -> l.contains(" udp ")).toList()).singleElement().asString()
                    .contains("packets=3 bytes=114");
            assertThat(conntrackLines(ns, "-L", "-p", "udp")).singleElement().asString().contains("packets=0 bytes=0");
            assertThat(ct(ns, "list", "-z", "-p", "udp").status()).isEqualTo(2);

            Run flushed = ct(ns, "flush", "-m", "1/0xf");
            assertThat(flushed.status()).as(flushed.err()).isZero();
            assertThat(conntrackLines(ns, "-L")).hasSize(2).noneMatch(l -> l.contains("mark=1 ") || l.contains("mark=17 "))
                    .anyMatch(l -> l.contains("mark=2 "));
        }
    }

    @Test
    void eventsAreFiltered() throws Exception {
        try (PrivateNamespace ns = namespace()) {
            Thread creator = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(700);
                    ns.exec("sh", "-c", "conntrack -I -p tcp -s 3.3.3.3 -d 4.4.4.4 --sport 7 --dport 8 --state SYN_SENT -t 30"
                            + " && conntrack -I -p udp -s 3.3.3.3 -d 4.4.4.4 --sport 7 --dport 8 -t 30"
                            + " && conntrack -I -p udp -s 3.3.3.5 -d 4.4.4.4 --sport 7 --dport 8 -t 30");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Run events = ct(ns, "-E", "-p", "udp", "-s", "3.3.3.5", "--count", "1", "--seconds", "10");
            creator.join(10_000);
            assertThat(events.status()).as(events.err()).isZero();
            assertThat(events.out().lines()).singleElement().asString()
                    .startsWith("    [NEW] udp      17 30 src=3.3.3.5 dst=4.4.4.4 sport=7 dport=8 [UNREPLIED]");

            Thread deleter = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(700);
                    ns.exec("sh", "-c", "conntrack -I -p udp -s 3.3.3.6 -d 4.4.4.4 --sport 7 --dport 8 -t 30"
                            + " && conntrack -D -p udp -s 3.3.3.3");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Run destroyed = ct(ns, "-E", "-e", "DESTROY", "--count", "1", "--seconds", "10");
            deleter.join(10_000);
            assertThat(destroyed.out().lines()).singleElement().asString()
                    .startsWith("[DESTROY] udp      17 ").contains(" src=3.3.3.3 dst=4.4.4.4 sport=7 dport=8 ");

            Thread both = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(700);
                    ns.exec("sh", "-c", "conntrack -I -p udp -s 3.3.3.7 -d 4.4.4.4 --sport 7 --dport 9 -t 30"
                            + " && conntrack -D -p udp -s 3.3.3.7");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Run json = ct(ns, "-E", "-o", "json", "-s", "3.3.3.7", "--count", "2", "--seconds", "10");
            both.join(10_000);
            assertThat(json.status()).as(json.err()).isZero();
            assertThat(json.out().lines()).hasSize(2);
            assertThat(json.out().lines().toList().get(0)).startsWith("{\"event\":\"new\",\"family\":\"ipv4\",\"proto\":\"udp\"")
                    .contains("\"orig\":{\"src\":\"3.3.3.7\",\"dst\":\"4.4.4.4\",\"sport\":7,\"dport\":9}");
            assertThat(json.out().lines().toList().get(1)).startsWith("{\"event\":\"destroy\",");

            Thread one = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(700);
                    ns.exec("conntrack", "-I", "-p", "udp", "-s", "3.3.3.8", "-d", "4.4.4.4", "--sport", "7", "--dport", "9",
                            "-t", "30");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Run table = ct(ns, "-E", "-o", "table", "-s", "3.3.3.8", "--count", "1", "--seconds", "10");
            one.join(10_000);
            assertThat(table.status()).as(table.err()).isZero();
            assertThat(table.out().lines().toList()).hasSize(2);
            assertThat(table.out().lines().toList().get(0)).startsWith("EVENT   PROTO   STATE");
            assertThat(table.out().lines().toList().get(1)).startsWith("NEW     udp     UNREPLIED")
                    .contains("3.3.3.8:7 -> 4.4.4.4:9");
        }
    }

    @Test
    void expectationsListAndFlushLikeConntrack() throws Exception {
        try (PrivateNamespace ns = namespace()) {
            ns.exec("sh", "-c", "nft add ct helper inet t ftp-h '{ type \"ftp\" protocol tcp; }'"
                    + " && nft insert rule inet t c tcp dport 21 ct helper set ftp-h");
            ServerSocket listener = ns.call(() -> new ServerSocket(21, 5, InetAddress.getLoopbackAddress()));
            try (listener; Socket client = ns.call(() -> new Socket(InetAddress.getLoopbackAddress(), 21));
                    Socket server = listener.accept()) {
                OutputStream toServer = client.getOutputStream();
                InputStream fromServer = client.getInputStream();
                // The ftp helper parses a segment only when it follows a line it has seen.
                server.getOutputStream().write("220 hi\r\n".getBytes(StandardCharsets.US_ASCII));
                fromServer.readNBytes(8);
                pasv(toServer, fromServer, server, 80);
                List<String> theirs = ns.exec("conntrack", "-L", "expect").lines().map(CtChangeTest::noTimeout).toList();
                Run ours = ct(ns, "expect", "list");
                assertThat(ours.status()).as(ours.err()).isZero();
                assertThat(ours.out().lines().map(CtChangeTest::noTimeout).toList()).isEqualTo(theirs)
                        .singleElement().asString().contains("dport=50000", "helper=ftp");

                String[] expected = {"-p", "tcp", "-s", "127.0.0.1", "-d", "127.0.0.1", "--sport", "0", "--dport", "50000"};
                Run got = ct(ns, with(new String[] {"expect", "get"}, expected));
                assertThat(got.status()).as(got.err()).isZero();
                assertThat(got.out().lines().map(CtChangeTest::noTimeout).toList()).isEqualTo(theirs);
                Run deleted = ct(ns, with(new String[] {"expect", "delete"}, expected));
                assertThat(deleted.err()).isEqualTo("conntrace: 1 expectations have been deleted.\n");
                assertThat(ns.exec("conntrack", "-L", "expect")).isEmpty();
                Run again = ct(ns, with(new String[] {"expect", "-D"}, expected));
                assertThat(again.status()).isEqualTo(1);
                assertThat(again.err()).isEqualTo("conntrace: no such expectation\n");
                assertThat(ct(ns, with(new String[] {"expect", "-G"}, expected)).status()).isEqualTo(1);

                pasv(toServer, fromServer, server, 81);
                assertThat(ns.exec("conntrack", "-L", "expect")).contains("dport=50001");
                Run flushed = ct(ns, "expect", "flush");
                assertThat(flushed.status()).as(flushed.err()).isZero();
                assertThat(ns.exec("conntrack", "-L", "expect")).isEmpty();
            }
        }
    }

    /**
     * Waits (at most 10 s) until {@code n} netfilter netlink sockets of {@code ns} have joined
     * {@code NFNLGRP_CONNTRACK_EXP_NEW}.
     */
    private static void awaitExpectationListeners(PrivateNamespace ns, int n) throws Exception {
        awaitListeners(ns, 4, n); // NFNLGRP_CONNTRACK_EXP_NEW
    }

    /**
     * Waits (at most 10 s) until {@code n} netfilter netlink sockets of {@code ns} have joined {@code group}, as
     * {@code /proc/net/netlink} lists them (protocol 12; the groups column is a bitmap whose bit g-1 stands for
     * group g).
     */
    static void awaitListeners(PrivateNamespace ns, int group, int n) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        long joined = 0;
        while (System.nanoTime() - deadline < 0) {
            joined = ns.exec("cat", "/proc/net/netlink").lines().skip(1).map(l -> l.strip().split("\\s+"))
                    .filter(f -> f.length > 3 && f[1].equals("12") && (Long.parseLong(f[3], 16) & 1L << (group - 1)) != 0)
                    .count();
            if (joined >= n) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(joined + " of " + n + " listeners joined group " + group + " within 10 s");
    }

    /** Lines of {@code file} once it has {@code n} of them, waiting at most 10 s. */
    private static List<String> awaitLines(java.nio.file.Path file, int n) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        List<String> lines = List.of();
        while (System.nanoTime() - deadline < 0) {
            lines = java.nio.file.Files.readString(file).lines().toList();
            if (lines.size() >= n) {
                break;
            }
            Thread.sleep(50);
        }
        return lines;
    }

    @Test
    void expectationsCreatedGotListedDeletedAndSeenAsEventsLikeConntrack() throws Exception {
        try (PrivateNamespace ns = namespace();
                dev.conntrace.conntrack.ConntrackEvents holder = ns.call(() -> dev.conntrace.conntrack.ConntrackEvents.open(
                        java.util.EnumSet.of(dev.conntrace.conntrack.EventType.NEW)))) {
            // The open listener makes the kernel keep events for the master flow created below.
            ns.exec("sh", "-c", "ip link set lo up && nft add ct helper inet t ftp-h '{ type \"ftp\" protocol tcp; }'"
                    + " && nft insert rule inet t c tcp dport 21 ct helper set ftp-h");
            java.nio.file.Path theirEvents = java.nio.file.Files.createTempFile("conntrack-expect-events", ".txt");
            Process conntrackEvents = new ProcessBuilder("ip", "netns", "exec", ns.name(), "stdbuf", "-oL", "conntrack",
                    "-E", "expect").redirectOutput(theirEvents.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            Run[] lines = new Run[2];
            Thread ours = Thread.ofPlatform().start(() -> lines[0] = ct(ns, "expect", "events", "--count", "2", "--seconds", "15"));
            Thread json = Thread.ofPlatform().start(() -> lines[1] = ct(ns, "expect", "-E", "-o", "json", "-e", "NEW,DESTROY",
                    "--count", "2", "--seconds", "15"));
            ServerSocket listener = ns.call(() -> new ServerSocket(21, 5, InetAddress.getLoopbackAddress()));
            try (listener; Socket client = ns.call(() -> new Socket(InetAddress.getLoopbackAddress(), 21));
                    Socket server = listener.accept()) {
                assertThat(server.isConnected()).isTrue();
                awaitExpectationListeners(ns, 3);
                String port = Integer.toString(client.getLocalPort());
                String[] master = {"-p", "tcp", "-s", "127.0.0.1", "-d", "127.0.0.1", "--sport", port, "--dport", "21"};
                String[] tuple = {"--tuple-src", "127.0.0.1", "--tuple-dst", "127.0.0.1", "--tuple-port-src", "0",
                    "--tuple-port-dst", "40000", "--mask-port-src", "0"};
                Run created = ct(ns, with(with(new String[] {"expect", "create"}, master), tuple));
                assertThat(created.status()).as(created.err()).isZero();
                assertThat(created.err()).isEqualTo("conntrace: 1 expectations have been created.\n");
                Run again = ct(ns, with(with(new String[] {"expect", "-I"}, master), tuple));
                assertThat(again.status()).isEqualTo(1);
                assertThat(again.err()).isEqualTo("conntrace: the expectation already exists (EEXIST)\n");
                Run noMaster = ct(ns, "expect", "create", "-p", "tcp", "-s", "127.0.0.1", "-d", "127.0.0.1", "--sport", "1",
                        "--dport", "21", "--tuple-src", "127.0.0.1", "--tuple-dst", "127.0.0.1", "--tuple-port-src", "0",
                        "--tuple-port-dst", "40001");
                assertThat(noMaster.status()).isEqualTo(1);
                assertThat(noMaster.err()).isEqualTo("conntrace: no such master flow\n");

                List<String> theirs = ns.exec("conntrack", "-L", "expect").lines().map(CtChangeTest::noTimeout).toList();
                assertThat(theirs).singleElement().asString().contains("dport=40000", "mask-src=255.255.255.255",
                        "master-src=127.0.0.1", "sport=" + port + " dport=21", "helper=ftp");
                String[] expected = {"-p", "tcp", "-s", "127.0.0.1", "-d", "127.0.0.1", "--sport", "0", "--dport", "40000"};
                Run got = ct(ns, with(new String[] {"expect", "get"}, expected));
                assertThat(got.status()).as(got.err()).isZero();
                assertThat(got.out().lines().map(CtChangeTest::noTimeout).toList()).isEqualTo(theirs);
                Run listed = ct(ns, "expect", "list", "-o", "json");
                assertThat(listed.out().lines()).singleElement().asString()
                        .contains("\"tuple\":{\"src\":\"127.0.0.1\",\"dst\":\"127.0.0.1\",\"sport\":0,\"dport\":40000}")
                        .contains("\"mask\":{\"src\":\"255.255.255.255\",\"dst\":\"255.255.255.255\",\"sport\":0,\"dport\":65535}")
                        .contains("\"master\":{\"src\":\"127.0.0.1\",\"dst\":\"127.0.0.1\",\"sport\":" + port + ",\"dport\":21}")
                        .contains("\"helper\":\"ftp\"");
                Run counted = ct(ns, "expect", "count");
                assertThat(counted.out()).isEqualTo(ns.exec("conntrack", "-C", "expect")).isEqualTo("1\n");
                Run table = ct(ns, "expect", "list", "-o", "table");
                assertThat(table.out().lines()).hasSize(2).last().asString()
                        .contains("127.0.0.1:0 -> 127.0.0.1:40000", "127.0.0.1:" + port + " -> 127.0.0.1:21", "ftp");

                Run deleted = ct(ns, with(new String[] {"expect", "delete"}, expected));
                assertThat(deleted.status()).as(deleted.err()).isZero();
                ours.join(20_000);
                json.join(20_000);
                List<String> reference = awaitLines(theirEvents, 2);
                assertThat(lines[0].status()).as(lines[0].err()).isZero();
                assertThat(lines[0].out().lines().toList()).isEqualTo(reference).hasSize(2);
                assertThat(reference.getFirst()).startsWith("    [NEW] ").contains("dport=40000");
                assertThat(reference.getLast()).startsWith("[DESTROY] ");
                assertThat(lines[1].out().lines().toList()).hasSize(2).satisfiesExactly(
                        n -> assertThat(n).startsWith("{\"event\":\"new\",\"family\":\"ipv4\",\"proto\":\"tcp\""),
                        d -> assertThat(d).startsWith("{\"event\":\"destroy\"").contains("\"dport\":40000"));
                assertThat(holder.lost()).isZero();
            } finally {
                conntrackEvents.destroy();
                conntrackEvents.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
                java.nio.file.Files.deleteIfExists(theirEvents);
            }
        }
    }

    @Test
    void directionZonesAndLabelsLikeConntrack() throws Exception {
        try (PrivateNamespace ns = namespace()) {
            String[] udp = {"-p", "udp", "-s", "1.1.1.1", "-d", "2.2.2.2", "--dport", "2", "-t", "100"};
            // Connection labels exist once a rule uses them.
            ns.exec("nft", "add", "rule", "inet", "t", "c", "udp", "dport", "4343", "ct", "label", "set", "3");

            assertThat(ct(ns, with(with(new String[] {"create"}, udp), "--sport", "1", "--orig-zone", "5")).status()).isZero();
            assertThat(ct(ns, with(with(new String[] {"create"}, udp), "--sport", "3", "--reply-zone", "6")).status()).isZero();
            Run labelled = ct(ns, with(with(new String[] {"create"}, udp), "--sport", "4", "--label-add", "1,70"));
            assertThat(labelled.status()).as(labelled.err()).isZero();
            for (String[] f : new String[][] {{"--orig-zone", "5"}, {"--reply-zone", "6"}, {"--orig-zone", "0"},
                {"--reply-zone", "0", "-p", "udp", "--sport", "1"}}) {
                Run ours = ct(ns, with(new String[] {"list", "-o", "conntrack"}, f));
                assertThat(ours.out().lines().map(CtKernelTest::withoutTimeout).sorted().toList()).as(String.join(" ", f))
                        .isEqualTo(conntrackLines(ns, with(new String[] {"-L"}, f))).isNotEmpty();
            }
            String[] zoned = {"-p", "udp", "-s", "1.1.1.1", "-d", "2.2.2.2", "--sport", "1", "--dport", "2"};
            assertThat(ct(ns, with(new String[] {"get"}, zoned)).err()).isEqualTo("conntrace: no such flow\n");
            Run got = ct(ns, with(with(new String[] {"get"}, zoned), "--orig-zone", "5", "-o", "conntrack"));
            assertThat(got.out()).contains(" zone-orig=5 ");

            String[] four = {"-p", "udp", "-s", "1.1.1.1", "-d", "2.2.2.2", "--sport", "4", "--dport", "2"};
            Run json = ct(ns, "list", "-l", "1,70", "-o", "json");
            assertThat(json.out().lines()).singleElement().asString().contains("\"sport\":4,")
                    .contains("\"labels\":\"02000000000000004000000000000000\"");
            assertThat(ct(ns, with(with(new String[] {"update"}, four), "--label-add", "5")).err())
                    .isEqualTo("conntrace: 1 flow entries have been updated.\n");
            assertThat(ct(ns, "list", "-l", "1,5,70").out().lines()).hasSize(2);
            assertThat(ct(ns, with(with(new String[] {"-U"}, four), "--label-del", "1")).status()).isZero();
            assertThat(ct(ns, "list", "-l", "1").out().lines()).as("header only").hasSize(1);
            assertThat(ct(ns, "list", "-l", "5,70", "-o", "json").out()).contains("\"labels\":\"20000000000000004000000000000000\"");
            Run clearAll = ct(ns, "update", "-l", "5", "--label-del");
            assertThat(clearAll.err()).isEqualTo("conntrace: 1 flow entries have been updated.\n");
            assertThat(ct(ns, "list", "-l", "70", "-o", "conntrack").out()).isEmpty();

            Run deleted = ct(ns, with(with(new String[] {"delete"}, zoned), "--orig-zone", "5"));
            assertThat(deleted.err()).isEqualTo("conntrace: 1 flow entries have been deleted.\n");
            assertThat(conntrackLines(ns, "-L")).hasSize(2).noneMatch(l -> l.contains("zone-orig"));
        }
    }

    /** One PASV exchange; the ftp helper then expects a data connection to port 195 * 256 + low. */
    private static void pasv(OutputStream toServer, InputStream fromServer, Socket server, int low) throws Exception {
        toServer.write("PASV\r\n".getBytes(StandardCharsets.US_ASCII));
        server.getInputStream().readNBytes(6);
        byte[] reply = ("227 Entering Passive Mode (127,0,0,1,195," + low + ").\r\n").getBytes(StandardCharsets.US_ASCII);
        server.getOutputStream().write(reply);
        fromServer.readNBytes(reply.length);
    }

    private static String noUse(String line) {
        return line.replaceAll(" use=\\d+", "");
    }

    private static String noTimeout(String line) {
        return line.substring(line.indexOf(' ') + 1);
    }
}
