package dev.conntrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.cli.CtCommandTest.Run;
import dev.conntrace.sys.PrivateNamespace;
import dev.conntrace.sys.testing.Prerequisites;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code conntrace ct list} filters against the real kernel, with {@code conntrack -L} as the
 * oracle. Client namespace A (10.99.0.1 and 10.99.0.3) talks over a veth pair to namespace B
 * (10.99.0.2); A's nft rules source-NAT one UDP flow to 10.99.0.3 and destination-NAT another from
 * 10.99.0.22:7777 to 10.99.0.2:8888; a TCP connection stays open; more flows come from
 * {@code conntrack -I}. The table is only read, so the tests share the namespaces.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CtKernelTest {
    private static final String RULES = """
            table inet t {
              chain out { type filter hook output priority 0; ct state new accept; }
            }
            table ip nat {
              chain out { type nat hook output priority -100; ip daddr 10.99.0.22 udp dport 7777 dnat to 10.99.0.2:8888; }
              chain post { type nat hook postrouting priority 100; ip daddr 10.99.0.2 udp dport 5001 snat to 10.99.0.3; }
            }
            """;

    private PrivateNamespace a;
    private PrivateNamespace b;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    void namespaces() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireTool("nft");
        Prerequisites.requireTool("conntrack");
        a = PrivateNamespace.create();
        b = PrivateNamespace.create();
        a.exec("ip", "link", "add", "va", "type", "veth", "peer", "name", "vb", "netns", b.name());
        a.exec("sh", "-c", "ip addr add 10.99.0.1/24 dev va && ip addr add 10.99.0.3/24 dev va && ip link set va up");
        b.exec("sh", "-c", "ip addr add 10.99.0.2/24 dev vb && ip link set vb up");
        a.exec("sh", "-c", "printf '%s' '" + RULES + "' | nft -f -");
        // The cases take longer than the 30 s an unreplied UDP flow lives by default.
        a.exec("sysctl", "-qw", "net.netfilter.nf_conntrack_udp_timeout=600");
        ServerSocket listener = b.call(() -> new ServerSocket(8080, 5, InetAddress.getByName("10.99.0.2")));
        open.add(listener);
        a.run(() -> {
            try (DatagramSocket u = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("10.99.0.1"), 5555))) {
                for (String to : new String[] {"10.99.0.2:5001", "10.99.0.22:7777", "10.99.0.2:6000"}) {
                    String[] hp = to.split(":");
                    u.send(new DatagramPacket(new byte[] {1}, 1, InetAddress.getByName(hp[0]), Integer.parseInt(hp[1])));
                }
            }
            Socket client = new Socket();
            client.connect(new InetSocketAddress("10.99.0.2", 8080), 5000);
            open.add(client);
        });
        open.add(listener.accept());
        a.exec("sh", "-c", "conntrack -I -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2 --state SYN_SENT -t 600 -m 7"
                + " && conntrack -I -p tcp -s 1.1.1.3 -d 2.2.2.2 --sport 3 --dport 2 --state ESTABLISHED -t 600 -u ASSURED"
                + " && conntrack -I -p udp -s 2001:db8::1 -d 2001:db8::2 --sport 5 --dport 53 -t 600 -m 7 -w 3"
                + " && conntrack -I -p udp -s 2001:db8::3 -d 2001:db8::2 --sport 5 --dport 53 -t 600 --orig-zone 4"
                + " && conntrack -I -p icmp -s 1.1.1.1 -d 2.2.2.2 --icmp-type 8 --icmp-code 0 --icmp-id 7 -t 600");
    }

    @AfterAll
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        try {
            if (a != null) {
                a.close();
            }
        } finally {
            if (b != null) {
                b.close();
            }
        }
    }

    static String withoutTimeout(String line) {
        List<String> t = new ArrayList<>(Arrays.asList(line.strip().split(" +")));
        t.remove(4);
        return String.join(" ", t);
    }

    @ParameterizedTest
    // Each case: the filter, a bar, how many of the nine flows it selects.
    @ValueSource(strings = {
        "|9",
        "--src-nat|1",
        "--dst-nat|1",
        "--any-nat|2",
        "--src-nat 10.99.0.3|1",
        "--src-nat 10.99.0.9|0",
        "--dst-nat 10.99.0.2|1",
        "--src-nat --dst-nat|0",
        "--dst-nat 10.99.0.2:8888|1",
        "--dst-nat 10.99.0.2:8889|0",
        "--dst-nat 10.99.0.3:8888|0",
        "--src-nat 10.99.0.3:5555|0",
        "--any-nat 10.99.0.2:8888|1",
        "-p udp --dst-nat 10.99.0.2:8888|1",
        "-s 10.99.0.1|4",
        "--orig-src 1.1.1.3|1",
        "-d 10.99.0.22|1",
        "-r 10.99.0.2|4",
        "-q 10.99.0.3|1",
        "-p udp --dport 5001|1",
        "-p udp --sport 5555|3",
        "-p udp --reply-port-src 8888|1",
        "-p tcp|3",
        "-p tcp --state ESTABLISHED|2",
        "-p tcp --state SYN_SENT|1",
        "-u ASSURED|2",
        "-u SEEN_REPLY|1",
        "-m 7|2",
        "-f ipv6|2",
        "-s 2001:db8::3|1",
        "-f ipv6 -s 2001:db8::1|1",
        "-d 2001:db8::2|2",
        "-s 2001:db8::/64|2",
        "-f ipv6 -p udp -s 2001:db8::3 --sport 5|1",
        "--orig-zone 4|1",
        "--orig-zone 3|0",
        "-f ipv6 --orig-zone 0|1",
        "--reply-zone 0 -p tcp|3",
        "-f ipv4 -p udp|3",
        "-f ipv4 -p udp -s 10.99.0.1 --dport 5001|1",
        "-f ipv4 -p udp -d 10.99.0.2 --sport 5555|2",
        "-f ipv6 -p udp -s 2001:db8::1 --dport 53|1",
        "-w 3|1",
        "-s 10.99.0.0/24|4",
    })
    void listSelectsWhatConntrackSelects(String filterAndCount) throws Exception {
        String filter = filterAndCount.substring(0, filterAndCount.indexOf('|'));
        int count = Integer.parseInt(filterAndCount.substring(filter.length() + 1));
        String[] f = filter.isEmpty() ? new String[0] : filter.split(" ");
        List<String> args = new ArrayList<>(List.of("ct", "list", "--netns", a.name(), "-o", "conntrack"));
        args.addAll(Arrays.asList(f));
        Run ours = CtCommandTest.run(args.toArray(String[]::new));
        assertThat(ours.status()).as(ours.err()).isZero();
        List<String> cmd = new ArrayList<>(List.of("conntrack", "-L", "-o", "extended"));
        cmd.addAll(Arrays.asList(f));
        List<String> theirs = a.exec(cmd.toArray(String[]::new)).lines().map(CtKernelTest::withoutTimeout).sorted().toList();
        assertThat(ours.out().lines().map(CtKernelTest::withoutTimeout).sorted().toList()).isEqualTo(theirs)
                .hasSize(count);
    }

}
