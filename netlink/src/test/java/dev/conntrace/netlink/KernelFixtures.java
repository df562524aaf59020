package dev.conntrace.netlink;

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
import java.nio.channels.ServerSocketChannel;

/** Requests and traffic for kernel tests; all traffic goes to loopback inside a private namespace. */
final class KernelFixtures {
    private KernelFixtures() {}

    static final int SOCK_DIAG_BY_FAMILY = 20; // SOCK_DIAG_BY_FAMILY (linux/sock_diag.h)
    static final int IPPROTO_TCP = 6; // IPPROTO_TCP
    static final int TCP_LISTEN = 10; // TCP_LISTEN (enum in linux/tcp.h / net/tcp_states.h)
    static final int INET_DIAG_REQ_V2_SIZE = 56; // sizeof(struct inet_diag_req_v2)
    static final int INET_DIAG_MSG_SIZE = 72; // sizeof(struct inet_diag_msg)
    static final int CTA_TUPLE_ORIG = 1; // CTA_TUPLE_ORIG
    static final int CTA_TUPLE_IP = 1; // CTA_TUPLE_IP
    static final int CTA_TUPLE_PROTO = 2; // CTA_TUPLE_PROTO
    static final int CTA_IP_V4_SRC = 1; // CTA_IP_V4_SRC
    static final int CTA_IP_V4_DST = 2; // CTA_IP_V4_DST
    static final int CTA_PROTO_NUM = 1; // CTA_PROTO_NUM
    static final int CTA_PROTO_SRC_PORT = 2; // CTA_PROTO_SRC_PORT
    static final int CTA_PROTO_DST_PORT = 3; // CTA_PROTO_DST_PORT
    static final int CTA_MARK = 8; // CTA_MARK
    static final int IPPROTO_UDP = 17; // IPPROTO_UDP
    static final int CT_NEW = Nfnetlink.type(Nfnetlink.NFNL_SUBSYS_CTNETLINK, Nfnetlink.IPCTNL_MSG_CT_NEW);
    static final int CT_GET = Nfnetlink.type(Nfnetlink.NFNL_SUBSYS_CTNETLINK, Nfnetlink.IPCTNL_MSG_CT_GET);

    /** Makes conntrack track new flows in the namespace (a fresh netns tracks nothing until a rule uses it). */
    static void trackConnections(PrivateNamespace ns) throws IOException {
        ns.exec("nft", "add", "table", "inet", "ct_test");
        ns.exec("nft", "add", "chain", "inet", "ct_test", "out", "{ type filter hook output priority 0; }");
        ns.exec("nft", "add", "rule", "inet", "ct_test", "out", "ct", "state", "new", "accept");
    }

    static final InetAddress LOOPBACK_V4 = InetAddress.getLoopbackAddress();

    /**
     * Sends one UDP datagram from an AF_INET socket on 127.0.0.1 to each of {@code count} ports from
     * {@code firstPort}; call inside the namespace. Returns the source port.
     */
    static int sendUdp(int firstPort, int count) throws IOException {
        try (DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET)) {
            channel.bind(new InetSocketAddress(LOOPBACK_V4, 0));
            ByteBuffer payload = ByteBuffer.allocate(4);
            for (int i = 0; i < count; i++) {
                payload.clear();
                channel.send(payload, new InetSocketAddress(LOOPBACK_V4, firstPort + i));
            }
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        }
    }

    /** An AF_INET TCP listener on 127.0.0.1:{@code port} (0: any); call inside the namespace. */
    static ServerSocketChannel listen(int port) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.INET);
        try {
            channel.bind(new InetSocketAddress(LOOPBACK_V4, port), 16);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Turns on conntrack byte/packet counters and timestamps in the namespace. */
    static void enableAccounting(PrivateNamespace ns) throws IOException {
        ns.exec("sysctl", "-q", "-w", "net.netfilter.nf_conntrack_acct=1");
        ns.exec("sysctl", "-q", "-w", "net.netfilter.nf_conntrack_timestamp=1");
    }

    /** An inet_diag dump request for TCP sockets of {@code family} in {@code states} (a bitmask of 1 << state). */
    static MessageBuilder inetDiagDump(MessageBuilder builder, int family, int states) {
        builder.begin(SOCK_DIAG_BY_FAMILY, Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP);
        builder.putU8(family).putU8(IPPROTO_TCP).putU8(0).putU8(0).putU32(states);
        builder.putZeros(48); // struct inet_diag_sockid: match everything
        return builder;
    }

    /** A ctnetlink dump request for {@code family}. */
    static MessageBuilder ctDump(MessageBuilder builder, int family) {
        builder.begin(CT_GET, Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP);
        return Nfgenmsg.put(builder, family, 0);
    }

    /** A malformed ctnetlink get: CTA_MARK with 2 bytes where the policy wants a u32. */
    static MessageBuilder ctGetWithShortMark(MessageBuilder builder) {
        builder.begin(CT_GET, Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK);
        Nfgenmsg.put(builder, SocketConstants.AF_INET, 0);
        builder.addU16(CTA_MARK, 7);
        return builder;
    }
}
