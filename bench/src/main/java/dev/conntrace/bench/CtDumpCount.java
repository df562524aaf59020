package dev.conntrace.bench;

import dev.conntrace.netlink.DumpResult;
import dev.conntrace.netlink.MessageBuilder;
import dev.conntrace.netlink.MessageVisitor;
import dev.conntrace.netlink.NetlinkMessage;
import dev.conntrace.netlink.NetlinkSocket;
import dev.conntrace.netlink.netfilter.Nfgenmsg;
import dev.conntrace.netlink.netfilter.Nfnetlink;
import dev.conntrace.sys.PrivateNamespace;
import dev.conntrace.sys.SocketConstants;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * The raw conntrack dump loop, for comparison with a C recv loop: opens a NETLINK_NETFILTER socket,
 * sends IPCTNL_MSG_CT_GET with NLM_F_DUMP for AF_INET and counts the messages in a callback without
 * decoding attributes. Nothing is allocated per message.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar dev.conntrace.bench.CtDumpCount \
 *     [--flows N] [--dumps K] [--buffer BYTES]
 * </pre>
 *
 * With {@code --flows N} (root) it first creates a private namespace, fills its conntrack table with N
 * UDP flows on 127.0.0.1 and dumps there; without it, it dumps the current namespace. Prints, per dump,
 * the messages, datagrams, bytes and time.
 */
public final class CtDumpCount {
    private CtDumpCount() {}

    /** Counts messages and bytes; the whole per-message work of the raw loop. */
    private static final class Counter implements MessageVisitor {
        long messages;
        long bytes;

        @Override
        public void visit(NetlinkMessage message) {
            messages++;
            bytes += message.length();
        }
    }

    public static void main(String[] args) throws Exception {
        int flows = 0;
        int dumps = 5;
        int buffer = 1 << 20;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--flows" -> flows = Integer.parseInt(args[++i]);
                case "--dumps" -> dumps = Integer.parseInt(args[++i]);
                case "--buffer" -> buffer = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        int dumpCount = dumps;
        int bufferSize = buffer;
        if (flows == 0) {
            run(dumpCount, bufferSize);
            return;
        }
        try (PrivateNamespace ns = PrivateNamespace.create()) {
            ns.exec("nft", "add", "table", "inet", "ct_bench");
            ns.exec("nft", "add", "chain", "inet", "ct_bench", "out", "{ type filter hook output priority 0; }");
            ns.exec("nft", "add", "rule", "inet", "ct_bench", "out", "ct", "state", "new", "accept");
            int count = flows;
            ns.run(() -> {
                populate(count);
                run(dumpCount, bufferSize);
            });
        }
    }

    private static void populate(int flows) throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        ByteBuffer payload = ByteBuffer.allocate(1);
        int sent = 0;
        for (int source = 0; sent < flows; source++) {
            try (DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET)) {
                channel.bind(new InetSocketAddress(lo, 0));
                for (int port = 1; port < 65536 && sent < flows; port++, sent++) {
                    payload.clear();
                    channel.send(payload, new InetSocketAddress(lo, port));
                }
            }
        }
    }

    private static void run(int dumps, int buffer) throws IOException {
        try (NetlinkSocket socket = NetlinkSocket.open(SocketConstants.NETLINK_NETFILTER,
                NetlinkSocket.Options.defaults().withReadBufferSize(buffer))) {
            int type = Nfnetlink.type(Nfnetlink.NFNL_SUBSYS_CTNETLINK, Nfnetlink.IPCTNL_MSG_CT_GET);
            for (int i = 0; i < dumps; i++) {
                MessageBuilder request = Nfgenmsg.put(socket.request(type, 0), SocketConstants.AF_INET, 0);
                Counter counter = new Counter();
                long start = System.nanoTime();
                DumpResult result = socket.dump("ctnetlink dump", request, counter);
                long nanos = System.nanoTime() - start;
                System.out.printf("dump %d: %d messages, %d datagrams, %d bytes (%.1f KiB/datagram), %.2f ms,"
                                + " %.0f ns/message%s%n", i + 1, counter.messages, result.datagrams(), counter.bytes,
                        counter.bytes / 1024.0 / Math.max(1, result.datagrams()), nanos / 1e6,
                        nanos / (double) Math.max(1, counter.messages), result.interrupted() ? " (interrupted)" : "");
            }
        }
    }
}
