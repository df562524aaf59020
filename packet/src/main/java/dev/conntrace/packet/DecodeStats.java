package dev.conntrace.packet;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts decode outcomes: packets by {@link DecodeStatus}, truncation and malformation by layer,
 * transports, fragments, and the unknown link types / network protocols / IP protocols met (the first
 * {@link #MAX_CODES} distinct codes each; later ones only in {@link #otherUnknown()}).
 *
 * <p>{@link #add} allocates nothing. Not thread-safe: keep one per thread and {@link #merge} them.
 */
public final class DecodeStats {
    /** Distinct unknown codes tracked individually. */
    public static final int MAX_CODES = 64;

    private final long[] byStatus = new long[DecodeStatus.values().length];
    private final long[] truncatedByLayer = new long[Layer.values().length];
    private final long[] malformedByLayer = new long[Layer.values().length];
    private long packets;
    private long tcp;
    private long udp;
    private long icmp;
    private long otherTransport;
    private long fragments;
    private long ipv4;
    private long ipv6;
    private final int[] codes = new int[MAX_CODES];
    private final byte[] codeKind = new byte[MAX_CODES];
    private final long[] codeCounts = new long[MAX_CODES];
    private int codeCount;
    private long otherUnknown;

    /** Empty counters. */
    public DecodeStats() {}

    /** Counts one decoded packet. */
    public void add(DecodedPacket p) {
        packets++;
        byStatus[p.status().ordinal()]++;
        Layer layer = p.problemLayer();
        if (p.status() == DecodeStatus.TRUNCATED) {
            truncatedByLayer[layer.ordinal()]++;
        } else if (p.status() == DecodeStatus.MALFORMED) {
            malformedByLayer[layer.ordinal()]++;
        } else if (p.status() == DecodeStatus.UNKNOWN_LINK_TYPE) {
            countCode(p.unknownCode(), LINK, 1);
        } else if (p.status() == DecodeStatus.NOT_IP) {
            countCode(p.unknownCode(), NETWORK, 1);
        }
        if (p.ipVersion() == 4) {
            ipv4++;
        } else if (p.ipVersion() == 6) {
            ipv6++;
        }
        if (p.isFragment()) {
            fragments++;
        } else if (p.isTcp()) {
            tcp++;
        } else if (p.isUdp()) {
            udp++;
        } else if (p.isIcmp()) {
            icmp++;
        } else if (p.ipVersion() != 0) {
            otherTransport++;
            if (p.ipProtocol() >= 0 && !isKnownTransport(p.ipProtocol())) {
                countCode(p.ipProtocol(), TRANSPORT, 1);
            }
        }
    }

    private static final byte LINK = 0;
    private static final byte NETWORK = 1;
    private static final byte TRANSPORT = 2;

    /** Protocols the decoder reads a header of, or that legitimately stop it (ESP, no next header). */
    private static boolean isKnownTransport(int protocol) {
        return protocol == IpProtocol.TCP || protocol == IpProtocol.UDP || protocol == IpProtocol.ICMP
                || protocol == IpProtocol.ICMPV6 || protocol == IpProtocol.ESP || protocol == IpProtocol.NONE;
    }

    private void countCode(int code, byte kind, long n) {
        for (int i = 0; i < codeCount; i++) {
            if (codes[i] == code && codeKind[i] == kind) {
                codeCounts[i] += n;
                return;
            }
        }
        if (codeCount < MAX_CODES) {
            codes[codeCount] = code;
            codeKind[codeCount] = kind;
            codeCounts[codeCount++] = n;
        } else {
            otherUnknown += n;
        }
    }

    /** Adds another instance's counts to this one. */
    public void merge(DecodeStats o) {
        packets += o.packets;
        for (int i = 0; i < byStatus.length; i++) {
            byStatus[i] += o.byStatus[i];
        }
        for (int i = 0; i < truncatedByLayer.length; i++) {
            truncatedByLayer[i] += o.truncatedByLayer[i];
            malformedByLayer[i] += o.malformedByLayer[i];
        }
        tcp += o.tcp;
        udp += o.udp;
        icmp += o.icmp;
        otherTransport += o.otherTransport;
        fragments += o.fragments;
        ipv4 += o.ipv4;
        ipv6 += o.ipv6;
        for (int i = 0; i < o.codeCount; i++) {
            countCode(o.codes[i], o.codeKind[i], o.codeCounts[i]);
        }
        otherUnknown += o.otherUnknown;
    }

    /** Packets counted. */
    public long packets() {
        return packets;
    }

    /** Packets that ended with {@code status}. */
    public long count(DecodeStatus status) {
        return byStatus[status.ordinal()];
    }

    /** Packets cut short by the capture at {@code layer}. */
    public long truncated(Layer layer) {
        return truncatedByLayer[layer.ordinal()];
    }

    /** Packets with a malformed header at {@code layer}. */
    public long malformed(Layer layer) {
        return malformedByLayer[layer.ordinal()];
    }

    /** Non-fragment packets with a whole TCP header. */
    public long tcp() {
        return tcp;
    }

    /** Non-fragment packets with a whole UDP header. */
    public long udp() {
        return udp;
    }

    /** Packets with an ICMP or ICMPv6 header. */
    public long icmp() {
        return icmp;
    }

    /** IP packets with another upper protocol (ESP, SCTP, GRE...). */
    public long otherTransport() {
        return otherTransport;
    }

    /** IP fragments (non-atomic). */
    public long fragments() {
        return fragments;
    }

    /** Packets with an IPv4 header. */
    public long ipv4() {
        return ipv4;
    }

    /** Packets with an IPv6 header. */
    public long ipv6() {
        return ipv6;
    }

    /** Unknown link types met, link type to packet count (allocates). */
    public Map<Integer, Long> unknownLinkTypes() {
        return codes(LINK);
    }

    /** IP protocols met that the decoder does not read (SCTP, GRE, ...), protocol to packet count (allocates). */
    public Map<Integer, Long> otherIpProtocols() {
        return codes(TRANSPORT);
    }

    /** Non-IP network protocols met (EtherType or address family), code to packet count (allocates). */
    public Map<Integer, Long> nonIpProtocols() {
        return codes(NETWORK);
    }

    /** Unknown codes beyond the first {@link #MAX_CODES}. */
    public long otherUnknown() {
        return otherUnknown;
    }

    private Map<Integer, Long> codes(byte kind) {
        Map<Integer, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < codeCount; i++) {
            if (codeKind[i] == kind) {
                m.put(codes[i], codeCounts[i]);
            }
        }
        return m;
    }

    @Override
    public String toString() {
        return "packets=" + packets + " status=" + Arrays.toString(byStatus) + " ipv4=" + ipv4 + " ipv6=" + ipv6
                + " tcp=" + tcp + " udp=" + udp + " icmp=" + icmp + " fragments=" + fragments
                + " unknownLink=" + unknownLinkTypes() + " nonIp=" + nonIpProtocols() + " otherIp=" + otherIpProtocols();
    }
}
