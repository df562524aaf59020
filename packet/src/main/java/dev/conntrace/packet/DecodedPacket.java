package dev.conntrace.packet;

import dev.conntrace.sys.IpAddress;
import java.lang.foreign.MemorySegment;

/**
 * A reusable, mutable view of one decoded packet, filled by {@link PacketDecoder#decode}. Offsets
 * are absolute positions in the segment that was decoded; nothing is copied.
 *
 * <p>Reuse one instance per thread: decoding allocates nothing. Every accessor reflects the last
 * decode only; fields of layers that were not reached read as 0 / -1 / false. When the capture
 * holds TCP's fixed 20 bytes but not all its options, ports, sequence numbers and flags are filled
 * while {@link #isTcp()} stays false (the header was cut: {@link #problemLayer()} is TRANSPORT).
 * Not thread-safe.
 */
public final class DecodedPacket {
    /** At most this many VLAN tags are recorded (more are skipped and counted in {@link #vlanCount()}). */
    public static final int MAX_VLAN_IDS = 4;
    /** At most four SACK blocks fit in TCP option space. */
    public static final int MAX_SACK_BLOCKS = 4;

    // whole packet
    MemorySegment data;
    int linkType;
    long start;
    long captureEnd;
    long wireEnd;
    int captureLength;
    int originalLength;
    DecodeStatus status;
    Layer problemLayer;
    int unknownCode;

    // link
    int vlanCount;
    final int[] vlanIds = new int[MAX_VLAN_IDS];
    int mplsCount;
    int networkProtocol;
    long networkOffset;

    // network
    int ipVersion;
    long srcHigh;
    long srcLow;
    long dstHigh;
    long dstLow;
    int ipProtocol;
    int ttl;
    int ipHeaderLength;
    long ipEnd;
    boolean ipLengthFromCapture;
    boolean ipLengthClamped;
    boolean fragment;
    int fragmentOffset;
    boolean moreFragments;
    long ipId;

    // transport
    long transportOffset;
    boolean tcp;
    boolean udp;
    boolean icmp;
    int srcPort;
    int dstPort;
    long seq;
    long ack;
    int tcpFlags;
    int window;
    int urgentPointer;
    int tcpHeaderLength;
    int icmpType;
    int icmpCode;
    int mss;
    int windowScale;
    boolean sackPermitted;
    int sackBlockCount;
    final long[] sackLeft = new long[MAX_SACK_BLOCKS];
    final long[] sackRight = new long[MAX_SACK_BLOCKS];
    boolean hasTimestamps;
    long tsVal;
    long tsEcr;
    boolean tcpOptionsMalformed;
    long payloadOffset;
    int payloadLength;
    int payloadMissing;

    /** An empty view; fill it with {@link PacketDecoder#decode}. */
    public DecodedPacket() {
        status = DecodeStatus.MALFORMED;
    }

    void reset(int linkType, MemorySegment data, long offset, int captureLength, int originalLength) {
        this.data = data;
        this.linkType = linkType;
        this.start = offset;
        this.captureEnd = offset + captureLength;
        this.wireEnd = offset + Math.max(captureLength, originalLength);
        this.captureLength = captureLength;
        this.originalLength = originalLength;
        status = DecodeStatus.OK;
        problemLayer = null;
        unknownCode = 0;
        vlanCount = 0;
        mplsCount = 0;
        networkProtocol = 0;
        networkOffset = -1;
        ipVersion = 0;
        srcHigh = srcLow = dstHigh = dstLow = 0;
        ipProtocol = -1;
        ttl = 0;
        ipHeaderLength = 0;
        ipEnd = -1;
        ipLengthFromCapture = false;
        ipLengthClamped = false;
        fragment = false;
        fragmentOffset = 0;
        moreFragments = false;
        ipId = 0;
        transportOffset = -1;
        tcp = udp = icmp = false;
        srcPort = dstPort = 0;
        seq = ack = 0;
        tcpFlags = window = urgentPointer = tcpHeaderLength = 0;
        icmpType = icmpCode = 0;
        mss = windowScale = -1;
        sackPermitted = false;
        sackBlockCount = 0;
        hasTimestamps = false;
        tsVal = tsEcr = 0;
        tcpOptionsMalformed = false;
        payloadOffset = -1;
        payloadLength = 0;
        payloadMissing = 0;
    }

    void problem(DecodeStatus s, Layer layer) {
        status = s;
        problemLayer = layer;
    }

    // ---- whole packet

    /** How far decoding got. */
    public DecodeStatus status() {
        return status;
    }

    /** The layer that was cut short or malformed, or null if none was. */
    public Layer problemLayer() {
        return problemLayer;
    }

    /** For {@link DecodeStatus#UNKNOWN_LINK_TYPE} the link type; for {@link DecodeStatus#NOT_IP} the protocol number met. */
    public int unknownCode() {
        return unknownCode;
    }

    /** The segment the packet was decoded from. */
    public MemorySegment data() {
        return data;
    }

    /** The link type the packet was decoded as. */
    public int linkType() {
        return linkType;
    }

    /** Bytes of the packet present in the capture. */
    public int captureLength() {
        return captureLength;
    }

    /** Bytes the packet had on the wire. */
    public int originalLength() {
        return originalLength;
    }

    // ---- link

    /** Number of 802.1Q / 802.1ad tags met (only the first {@link #MAX_VLAN_IDS} ids are kept). */
    public int vlanCount() {
        return vlanCount;
    }

    /** The 12-bit VLAN id of tag {@code i} (outermost first), {@code i < min(vlanCount, MAX_VLAN_IDS)}. */
    public int vlanId(int i) {
        if (i < 0 || i >= Math.min(vlanCount, MAX_VLAN_IDS)) {
            throw new IndexOutOfBoundsException("VLAN tag " + i + " of " + vlanCount);
        }
        return vlanIds[i];
    }

    /** Number of MPLS labels met. */
    public int mplsCount() {
        return mplsCount;
    }

    /** The EtherType (or equivalent) of the network layer, 0 if the link layer did not name one. */
    public int networkProtocol() {
        return networkProtocol;
    }

    // ---- network

    /** 4 or 6, or 0 when no IP header was decoded. */
    public int ipVersion() {
        return ipVersion;
    }

    /** Absolute offset of the IP header in {@link #data()}, -1 if none. */
    public long ipOffset() {
        return ipVersion == 0 ? -1 : networkOffset;
    }

    /** Source address, first 8 bytes (IPv6) or 0 (IPv4); see {@link IpAddress}. */
    public long srcHigh() {
        return srcHigh;
    }

    /** Source address, last 8 bytes (IPv6) or the IPv4 address in the low 32 bits. */
    public long srcLow() {
        return srcLow;
    }

    /** Destination address, first 8 bytes (IPv6) or 0 (IPv4). */
    public long dstHigh() {
        return dstHigh;
    }

    /** Destination address, last 8 bytes (IPv6) or the IPv4 address in the low 32 bits. */
    public long dstLow() {
        return dstLow;
    }

    /** The source address as a value (allocates). */
    public IpAddress src() {
        return address(srcHigh, srcLow);
    }

    /** The destination address as a value (allocates). */
    public IpAddress dst() {
        return address(dstHigh, dstLow);
    }

    private IpAddress address(long high, long low) {
        return switch (ipVersion) {
            case 4 -> IpAddress.ipv4((int) low);
            case 6 -> IpAddress.ipv6(high, low);
            default -> throw new IllegalStateException("no IP header decoded");
        };
    }

    /** The upper-layer protocol after any IPv6 extension headers (6 TCP, 17 UDP...), -1 if none. */
    public int ipProtocol() {
        return ipProtocol;
    }

    /** IPv4 TTL or IPv6 hop limit. */
    public int ttl() {
        return ttl;
    }

    /** Bytes from the start of the IP header to the transport header (IPv4 options and IPv6 extension headers included). */
    public int ipHeaderLength() {
        return ipHeaderLength;
    }

    /** Length of the IP datagram as its header states it (or as captured, see {@link #ipLengthFromCapture()}). */
    public long ipLength() {
        return ipVersion == 0 ? 0 : ipEnd - networkOffset;
    }

    /**
     * True when the IP header gave no length (IPv4 total length 0 or IPv6 payload length 0 without
     * a jumbo option, as segmentation offload produces) and the captured length was used.
     */
    public boolean ipLengthFromCapture() {
        return ipLengthFromCapture;
    }

    /**
     * True when the IP header claimed more bytes than the frame had on the wire (not a snaplen cut:
     * the header is wrong); the datagram was then taken to end with the frame, as tshark does.
     */
    public boolean ipLengthClamped() {
        return ipLengthClamped;
    }

    /** True for a non-atomic fragment (more-fragments set or a non-zero offset); transport fields are then not decoded. */
    public boolean isFragment() {
        return fragment;
    }

    /** Fragment offset in bytes. */
    public int fragmentOffset() {
        return fragmentOffset;
    }

    /** The more-fragments flag. */
    public boolean moreFragments() {
        return moreFragments;
    }

    /** IPv4 identification, or the IPv6 fragment header's identification. */
    public long ipId() {
        return ipId;
    }

    /** Verifies the IPv4 header checksum (IPv6 has none: true); false if no IP header or it is not all present. */
    public boolean verifyIpChecksum() {
        if (ipVersion == 6) {
            return true;
        }
        if (ipVersion != 4) {
            return false;
        }
        int ihl = (data.get(Bytes.U8, networkOffset) & 0xF) * 4;
        return Checksums.fold(Checksums.sum(data, networkOffset, ihl)) == 0xFFFF;
    }

    /** Same as {@link #verifyIpChecksum()}. */
    public boolean ipChecksumValid() {
        return verifyIpChecksum();
    }

    // ---- transport

    /** True when a whole TCP header (options included) is present. */
    public boolean isTcp() {
        return tcp;
    }

    /** True when a whole UDP header is present. */
    public boolean isUdp() {
        return udp;
    }

    /** True when an ICMP or ICMPv6 header is present. */
    public boolean isIcmp() {
        return icmp;
    }

    /** Absolute offset of the transport header, -1 if none. */
    public long transportOffset() {
        return transportOffset;
    }

    /** TCP/UDP source port. */
    public int srcPort() {
        return srcPort;
    }

    /** TCP/UDP destination port. */
    public int dstPort() {
        return dstPort;
    }

    /** TCP sequence number (unsigned 32 bits). */
    public long seq() {
        return seq;
    }

    /** TCP acknowledgement number (unsigned 32 bits). */
    public long ack() {
        return ack;
    }

    /** TCP flags, see {@link TcpFlags}. */
    public int tcpFlags() {
        return tcpFlags;
    }

    /** True if all of {@code flags} are set. */
    public boolean hasFlags(int flags) {
        return (tcpFlags & flags) == flags;
    }

    /** TCP window field (not scaled). */
    public int window() {
        return window;
    }

    /** TCP urgent pointer. */
    public int urgentPointer() {
        return urgentPointer;
    }

    /** TCP header length including options. */
    public int tcpHeaderLength() {
        return tcpHeaderLength;
    }

    /** ICMP / ICMPv6 type. */
    public int icmpType() {
        return icmpType;
    }

    /** ICMP / ICMPv6 code. */
    public int icmpCode() {
        return icmpCode;
    }

    /** TCP MSS option, -1 if absent. */
    public int mss() {
        return mss;
    }

    /** TCP window-scale shift, -1 if absent. */
    public int windowScale() {
        return windowScale;
    }

    /** True if the SACK-permitted option is present. */
    public boolean sackPermitted() {
        return sackPermitted;
    }

    /** Number of SACK blocks in the SACK option (0 if absent). */
    public int sackBlockCount() {
        return sackBlockCount;
    }

    /** Left edge of SACK block {@code i}. */
    public long sackLeft(int i) {
        checkSack(i);
        return sackLeft[i];
    }

    /** Right edge of SACK block {@code i}. */
    public long sackRight(int i) {
        checkSack(i);
        return sackRight[i];
    }

    private void checkSack(int i) {
        if (i < 0 || i >= sackBlockCount) {
            throw new IndexOutOfBoundsException("SACK block " + i + " of " + sackBlockCount);
        }
    }

    /** True if the timestamps option is present. */
    public boolean hasTimestamps() {
        return hasTimestamps;
    }

    /** TSval of the timestamps option (unsigned 32 bits). */
    public long tsVal() {
        return tsVal;
    }

    /** TSecr of the timestamps option (unsigned 32 bits). */
    public long tsEcr() {
        return tsEcr;
    }

    /** True if the option walk met a bad option length (the options before it are kept). */
    public boolean tcpOptionsMalformed() {
        return tcpOptionsMalformed;
    }

    /** Absolute offset of the transport payload in {@link #data()}, -1 if none. */
    public long payloadOffset() {
        return payloadOffset;
    }

    /** Bytes of transport payload present in the capture. */
    public int payloadLength() {
        return payloadLength;
    }

    /** Bytes of transport payload the IP header says exist but the capture does not hold. */
    public int payloadMissing() {
        return payloadMissing;
    }

    /**
     * True if the TCP/UDP/ICMP checksum can be checked: a transport header is present, the packet
     * is not a fragment and the whole datagram was captured.
     */
    public boolean transportChecksumVerifiable() {
        return (tcp || udp || icmp) && !fragment && ipEnd <= captureEnd && payloadMissing == 0;
    }

    /**
     * Verifies the TCP, UDP, ICMP or ICMPv6 checksum with the IPv4/IPv6 pseudo-header where the
     * protocol uses one. False if it does not match or cannot be verified
     * ({@link #transportChecksumVerifiable()}). A zero UDP-over-IPv4 checksum means "none" and
     * verifies.
     */
    public boolean verifyTransportChecksum() {
        if (!transportChecksumVerifiable()) {
            return false;
        }
        int length = (int) (ipEnd - transportOffset);
        if (udp && ipVersion == 4 && data.get(Bytes.U16, transportOffset + 6) == 0) {
            return true;
        }
        long sum = Checksums.sum(data, transportOffset, length);
        if (!(icmp && ipVersion == 4)) {
            sum += Checksums.pseudoHeader(ipVersion, srcHigh, srcLow, dstHigh, dstLow, ipProtocol, length);
        }
        return Checksums.fold(sum) == 0xFFFF;
    }
}
