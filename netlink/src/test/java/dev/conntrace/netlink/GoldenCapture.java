package dev.conntrace.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.sys.PrivateNamespace;
import dev.conntrace.sys.SocketConstants;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Records the golden vectors under {@code src/test/resources/golden/} from the real kernel, inside a
 * private network namespace. A utility, not a test: it runs only when asked, as root:
 *
 * <pre>
 * ./mvnw -B -q -pl netlink -am verify -Dtest=GoldenCapture -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dconntrace.capture=$PWD/netlink/src/test/resources/golden
 * </pre>
 */
@EnabledIfSystemProperty(named = "conntrace.capture", matches = ".+")
class GoldenCapture {
    private final Path directory = Path.of(System.getProperty("conntrace.capture", "."));

    @Test
    void capture() throws Exception {
        dev.conntrace.sys.testing.Prerequisites.requireRoot();
        dev.conntrace.sys.testing.Prerequisites.requireTool("nft");
        dev.conntrace.sys.testing.Prerequisites.requireTool("sysctl");
        Files.createDirectories(directory);
        String kernel = Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        try (PrivateNamespace ns = PrivateNamespace.create()) {
            // Datagram boundaries depend on the reader's buffer size; the vectors record which was used.
            KernelFixtures.trackConnections(ns);
            KernelFixtures.enableAccounting(ns);
            ns.run(() -> {
                List<AutoCloseable> open = new ArrayList<>();
                try {
                    for (int i = 0; i < 50; i++) {
                        open.add(KernelFixtures.listen(41000 + i));
                    }
                    open.add(SocketChannel.open(new InetSocketAddress(KernelFixtures.LOOPBACK_V4, 41000)));
                    open.add(((ServerSocketChannel) open.getFirst()).accept());
                    KernelFixtures.sendUdp(42000, 5);
                    record("sock_diag_tcp_listeners", kernel,
                            "inet_diag dump (SOCK_DIAG_BY_FAMILY, AF_INET, TCP, all states), 4 KiB reads: 50 listeners on"
                                    + " 127.0.0.1:41000-41049 and one connection to 41000 (both ends)",
                            SocketConstants.NETLINK_SOCK_DIAG,
                            b -> KernelFixtures.inetDiagDump(b, SocketConstants.AF_INET, -1), true, 4096);
                    record("ctnetlink_dump_flows", kernel,
                            "ctnetlink dump (IPCTNL_MSG_CT_GET, NLM_F_DUMP, AF_INET), acct and timestamps on: one TCP flow to"
                                    + " 127.0.0.1:41000 and 5 UDP flows to 127.0.0.1:42000-42004",
                            SocketConstants.NETLINK_NETFILTER, b -> KernelFixtures.ctDump(b, SocketConstants.AF_INET), true, 1 << 20);
                    record("ctnetlink_error_ext_ack", kernel,
                            "ctnetlink get with a 2-byte CTA_MARK (policy wants u32): NLMSG_ERROR with extended ACK",
                            SocketConstants.NETLINK_NETFILTER, KernelFixtures::ctGetWithShortMark, false, 4096);
                    record("ctnetlink_dump_empty_inet6", kernel,
                            "ctnetlink dump for AF_INET6 with no IPv6 flows: only NLMSG_DONE",
                            SocketConstants.NETLINK_NETFILTER, b -> KernelFixtures.ctDump(b, SocketConstants.AF_INET6), true, 4096);
                } finally {
                    for (AutoCloseable c : open.reversed()) {
                        c.close();
                    }
                }
            });
        }
    }

    interface Request {
        MessageBuilder build(MessageBuilder builder);
    }

    private void record(String name, String kernel, String what, int protocol, Request request, boolean dump, int readBuffer)
            throws IOException {
        RecordingTransport recording = new RecordingTransport(KernelTransport.open(protocol));
        try (NetlinkSocket socket = NetlinkSocket.over(recording,
                NetlinkSocket.Options.defaults().withReadBufferSize(Math.max(readBuffer, NetlinkSocket.Options.MIN_READ_BUFFER)))) {
            MessageBuilder builder = request.build(socket.request(0, 0));
            String outcome;
            try {
                if (dump) {
                    DumpResult result = socket.dump(name, builder, m -> { });
                    outcome = result.toString();
                } else {
                    socket.execute(name, builder, null);
                    outcome = "ACK";
                }
            } catch (NetlinkException e) {
                outcome = e.getMessage();
            }
            new GoldenVector(name, List.of(what, "kernel " + kernel + "; outcome: " + outcome,
                    "recorded by GoldenCapture (netlink/src/test/java/dev/conntrace/netlink/GoldenCapture.java)"),
                    recording.sent.getLast(), recording.portId(), recording.received).write(directory);
            assertThat(recording.received).isNotEmpty();
        }
    }
}
