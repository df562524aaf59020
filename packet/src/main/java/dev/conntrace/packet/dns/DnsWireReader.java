package dev.conntrace.packet.dns;

import dev.conntrace.packet.DecodedPacket;
import dev.conntrace.packet.TcpFlags;
import dev.conntrace.sys.IpAddress;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Finds DNS messages in decoded packets: UDP datagrams from or to the DNS port, and DNS over TCP
 * (RFC 7766 two-byte length framing) from or to it.
 *
 * <p>TCP is put in order per direction by sequence number only as far as DNS needs: segments that
 * continue the direction are appended, retransmitted bytes are skipped, and a gap (a lost segment, or
 * a reordered one) drops the partial message and restarts at the new segment, counted in
 * {@link #tcpGaps()}. Messages split over segments are joined; messages whose first bytes were not
 * captured are lost (and usually counted as malformed). Corrupt messages are counted in
 * {@link #malformed()} and skipped.
 *
 * <p>Bounded: at most {@code maxTcpStreams} directions are buffered (least recently used evicted, counted
 * in {@link #evictedStreams()}), each holding at most one partial frame (2 + 65535 bytes). Not thread-safe.
 */
public final class DnsWireReader {
    /** Receives each message found. */
    @FunctionalInterface
    public interface Sink {
        void message(long nanos, DnsTransaction.Transport transport, IpAddress src, int srcPort, IpAddress dst,
                int dstPort, DnsMessage message);
    }

    private record Direction(IpAddress src, int srcPort, IpAddress dst, int dstPort) {}

    private static final class Buffer {
        long nextSeq;
        byte[] bytes = new byte[512];
        int length;
    }

    private static final int MAX_FRAME = 2 + DnsMessage.MAX_LENGTH;

    private final int port;
    private final Sink sink;
    private final LinkedHashMap<Direction, Buffer> streams;
    private long messages;
    private long malformed;
    private long cut;
    private long tcpGaps;
    private long evictedStreams;

    /**
     * @param port the DNS server port (53)
     * @param maxTcpStreams the most TCP directions with buffered bytes
     */
    public DnsWireReader(int port, int maxTcpStreams, Sink sink) {
        if (port < 0 || port > 65535 || maxTcpStreams < 1) {
            throw new IllegalArgumentException("port " + port + " or stream limit " + maxTcpStreams + " out of range");
        }
        this.port = port;
        this.sink = sink;
        this.streams = new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Direction, Buffer> eldest) {
                if (size() > maxTcpStreams) {
                    evictedStreams++;
                    return true;
                }
                return false;
            }
        };
    }

    /**
     * Takes one decoded packet captured at {@code nanos}.
     *
     * @return true if it was UDP or TCP to or from the DNS port
     */
    public boolean accept(DecodedPacket p, long nanos) {
        if (p.isFragment() || (!p.isUdp() && !p.isTcp()) || (p.srcPort() != port && p.dstPort() != port)) {
            return false;
        }
        if (p.isUdp()) {
            if (p.payloadLength() > 0 || p.payloadMissing() > 0) {
                parse(nanos, DnsTransaction.Transport.UDP, p, p.data(), p.payloadOffset(), p.payloadLength(),
                        p.payloadMissing() > 0);
            }
            return true;
        }
        tcp(p, nanos);
        return true;
    }

    private void parse(long nanos, DnsTransaction.Transport t, DecodedPacket p, MemorySegment data, long offset,
            int length, boolean wasCut) {
        try {
            DnsMessage m = DnsMessage.parse(data, offset, length);
            messages++;
            sink.message(nanos, t, p.src(), p.srcPort(), p.dst(), p.dstPort(), m);
        } catch (DnsFormatException e) {
            if (wasCut && e.truncated()) {
                cut++;
            } else {
                malformed++;
            }
        }
    }

    private void tcp(DecodedPacket p, long nanos) {
        Direction d = new Direction(p.src(), p.srcPort(), p.dst(), p.dstPort());
        if (p.hasFlags(TcpFlags.RST) || p.hasFlags(TcpFlags.FIN) && p.payloadLength() == 0) {
            streams.remove(d);
            return;
        }
        Buffer b = streams.get(d);
        long seq = p.seq();
        int length = p.payloadLength();
        if (p.hasFlags(TcpFlags.SYN)) {
            b = new Buffer();
            b.nextSeq = (seq + 1) & 0xFFFF_FFFFL;
            streams.put(d, b);
            return;
        }
        if (length == 0) {
            return;
        }
        long offset = p.payloadOffset();
        if (b == null) { // joined mid-stream: hope the segment starts a message
            b = new Buffer();
            b.nextSeq = seq;
            streams.put(d, b);
        }
        int ahead = (int) (seq - b.nextSeq); // signed distance in sequence space
        if (ahead > 0) {
            tcpGaps++;
            b.length = 0;
            b.nextSeq = seq;
        } else if (ahead < 0) {
            if (-(long) ahead >= length) {
                return; // a retransmission of bytes already taken
            }
            offset -= ahead;
            length += ahead;
        }
        append(b, p.data(), offset, length);
        b.nextSeq = (b.nextSeq + length) & 0xFFFF_FFFFL;
        if (p.payloadMissing() > 0) { // the capture cut the segment: what follows cannot be framed
            cut++;
            b.length = 0;
            b.nextSeq = (b.nextSeq + p.payloadMissing()) & 0xFFFF_FFFFL;
            return;
        }
        int consumed = 0;
        while (true) {
            int frame = DnsTcpFraming.frameLength(b.bytes, consumed, b.length - consumed);
            if (frame < 0) {
                break;
            }
            try {
                DnsMessage m = DnsMessage.parse(b.bytes, consumed + 2, frame - 2);
                messages++;
                sink.message(nanos, DnsTransaction.Transport.TCP, d.src(), d.srcPort(), d.dst(), d.dstPort(), m);
            } catch (DnsFormatException e) {
                malformed++;
            }
            consumed += frame;
        }
        if (consumed > 0) {
            System.arraycopy(b.bytes, consumed, b.bytes, 0, b.length - consumed);
            b.length -= consumed;
        }
        if (p.hasFlags(TcpFlags.FIN)) {
            streams.remove(d); // the direction is over: nothing more will complete a partial message
        }
    }

    private static void append(Buffer b, MemorySegment data, long offset, int length) {
        int need = b.length + length;
        if (need > b.bytes.length) {
            // never more than a partial frame plus one segment is held
            b.bytes = java.util.Arrays.copyOf(b.bytes, Math.max(need, Math.min(2 * b.bytes.length, MAX_FRAME + 65535)));
        }
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, offset, b.bytes, b.length, length);
        b.length = need;
    }

    /** DNS messages found and handed on. */
    public long messages() {
        return messages;
    }

    /** Messages that could not be parsed (corrupt, or not DNS on the DNS port). */
    public long malformed() {
        return malformed;
    }

    /** Messages or segments the capture's snapshot length cut short. */
    public long cut() {
        return cut;
    }

    /** TCP gaps that dropped a partial message. */
    public long tcpGaps() {
        return tcpGaps;
    }

    /** TCP directions dropped because {@code maxTcpStreams} were buffered. */
    public long evictedStreams() {
        return evictedStreams;
    }
}
