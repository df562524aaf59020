package dev.conntrace.sockets.diag;

import static dev.conntrace.sockets.diag.InetDiag.INET_DIAG_CGROUP_ID;
import static dev.conntrace.sockets.diag.InetDiag.INET_DIAG_INFO;
import static dev.conntrace.sockets.diag.InetDiag.INET_DIAG_SKV6ONLY;
import static dev.conntrace.sockets.diag.InetDiag.INET_DIAG_SOCKOPT;
import static dev.conntrace.sockets.diag.InetDiag.MSG_COOKIE;
import static dev.conntrace.sockets.diag.InetDiag.MSG_DPORT;
import static dev.conntrace.sockets.diag.InetDiag.MSG_DST;
import static dev.conntrace.sockets.diag.InetDiag.MSG_FAMILY;
import static dev.conntrace.sockets.diag.InetDiag.MSG_IF;
import static dev.conntrace.sockets.diag.InetDiag.MSG_INODE;
import static dev.conntrace.sockets.diag.InetDiag.MSG_RQUEUE;
import static dev.conntrace.sockets.diag.InetDiag.MSG_SIZE;
import static dev.conntrace.sockets.diag.InetDiag.MSG_SPORT;
import static dev.conntrace.sockets.diag.InetDiag.MSG_SRC;
import static dev.conntrace.sockets.diag.InetDiag.MSG_STATE;
import static dev.conntrace.sockets.diag.InetDiag.MSG_UID;
import static dev.conntrace.sockets.diag.InetDiag.MSG_WQUEUE;

import dev.conntrace.netlink.AttributeCursor;
import dev.conntrace.netlink.DecodeException;
import dev.conntrace.netlink.NetlinkMessage;
import dev.conntrace.sockets.AddressFamily;
import dev.conntrace.sockets.Protocol;
import dev.conntrace.sockets.SocketEntry;
import dev.conntrace.sockets.SocketState;
import dev.conntrace.sockets.TcpInfo;
import dev.conntrace.sockets.V6Only;
import dev.conntrace.sys.IpAddress;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Decodes one {@code SOCK_DIAG_BY_FAMILY} reply ({@code struct inet_diag_msg} and its attributes,
 * {@code <linux/inet_diag.h>}) into a {@link SocketEntry}.
 *
 * <p>Ports and addresses are big-endian; every other field is in host order. {@code INET_DIAG_INFO}
 * becomes {@link TcpInfo}, {@code INET_DIAG_SKV6ONLY} the {@link V6Only} flag,
 * {@code INET_DIAG_CGROUP_ID} the cgroup id. Other attributes are skipped; types this code does
 * not know are counted ({@link #unknownAttributes()}). A reply shorter than {@code inet_diag_msg},
 * of another family, or with a malformed attribute raises a CORRUPT {@link DecodeException}.
 *
 * <p>Not thread-safe (reuses one attribute cursor); allocates only the result.
 */
public final class InetDiagDecoder {
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.nativeOrder());
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong BE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final AttributeCursor cursor = new AttributeCursor();
    private final byte[] tcpInfoScratch = new byte[TcpInfoDecoder.KNOWN_SIZE];
    private long unknownAttributes;

    /** A decoder with its own attribute cursor. */
    public InetDiagDecoder() {}

    /** Attributes of types newer than {@code INET_DIAG_SOCKOPT} seen so far. */
    public long unknownAttributes() {
        return unknownAttributes;
    }

    /**
     * The socket in {@code message}, placed in namespace {@code netns}.
     *
     * @param protocol the protocol the dump asked for (replies do not repeat it)
     */
    public SocketEntry decode(NetlinkMessage message, long netns, Protocol protocol) throws DecodeException {
        int len = message.payloadLength();
        if (len < MSG_SIZE) {
            throw new DecodeException(DecodeException.Kind.CORRUPT, message.offset(),
                    "inet_diag_msg needs " + MSG_SIZE + " bytes, reply has " + len);
        }
        MemorySegment s = message.segment();
        long p = message.payloadOffset();
        int familyCode = s.get(ValueLayout.JAVA_BYTE, p + MSG_FAMILY) & 0xFF;
        AddressFamily family;
        if (familyCode == AddressFamily.INET.number()) {
            family = AddressFamily.INET;
        } else if (familyCode == AddressFamily.INET6.number()) {
            family = AddressFamily.INET6;
        } else {
            throw new DecodeException(DecodeException.Kind.CORRUPT, p + MSG_FAMILY,
                    "inet_diag_msg family " + familyCode + " is neither AF_INET nor AF_INET6");
        }
        SocketState state = SocketState.of(s.get(ValueLayout.JAVA_BYTE, p + MSG_STATE) & 0xFF);
        int sport = s.get(BE16, p + MSG_SPORT) & 0xFFFF;
        int dport = s.get(BE16, p + MSG_DPORT) & 0xFFFF;
        IpAddress src = address(s, p + MSG_SRC, family);
        IpAddress dst = address(s, p + MSG_DST, family);
        int ifindex = s.get(U32, p + MSG_IF);
        long cookie = (s.get(U32, p + MSG_COOKIE) & 0xFFFF_FFFFL) | ((long) s.get(U32, p + MSG_COOKIE + 4) << 32);
        long rqueue = s.get(U32, p + MSG_RQUEUE) & 0xFFFF_FFFFL;
        long wqueue = s.get(U32, p + MSG_WQUEUE) & 0xFFFF_FFFFL;
        int uid = s.get(U32, p + MSG_UID);
        long inode = s.get(U32, p + MSG_INODE) & 0xFFFF_FFFFL;

        TcpInfo info = null;
        V6Only v6Only = V6Only.UNKNOWN;
        long cgroup = 0;
        AttributeCursor a = message.attributes(cursor, MSG_SIZE);
        while (a.next()) {
            switch (a.type()) {
                case INET_DIAG_INFO -> {
                    if (protocol == Protocol.TCP) {
                        info = TcpInfoDecoder.decode(a.segment(), a.valueOffset(), a.length(), tcpInfoScratch);
                    }
                }
                case INET_DIAG_SKV6ONLY -> v6Only = a.u8() != 0 ? V6Only.V6_ONLY : V6Only.DUAL_STACK;
                case INET_DIAG_CGROUP_ID -> cgroup = a.u64();
                default -> {
                    if (a.type() > INET_DIAG_SOCKOPT) {
                        unknownAttributes++;
                    }
                }
            }
        }
        return new SocketEntry(netns, protocol, family, state, src, sport, dst, dport, wqueue, rqueue, uid, inode,
                cookie, ifindex, v6Only, cgroup, info);
    }

    private static IpAddress address(MemorySegment s, long at, AddressFamily family) {
        return family == AddressFamily.INET ? IpAddress.ipv4(s.get(BE32, at))
                : IpAddress.ipv6(s.get(BE64, at), s.get(BE64, at + 8));
    }
}
