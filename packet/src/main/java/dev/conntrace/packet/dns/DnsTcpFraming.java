package dev.conntrace.packet.dns;

import java.util.function.Consumer;

/**
 * DNS over TCP (RFC 1035 section 4.2.2, RFC 7766): each message is preceded by a two-byte
 * big-endian length. Stateless; callers keep the unconsumed tail of a stream and call again with
 * more bytes.
 */
public final class DnsTcpFraming {
    private DnsTcpFraming() {}

    /**
     * The length of the complete frame (prefix + message) at {@code bytes[offset..]}, or -1 if
     * fewer than {@code available} bytes hold a whole frame yet.
     */
    public static int frameLength(byte[] bytes, int offset, int available) {
        if (available < 2) {
            return -1;
        }
        int length = ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
        return available >= 2 + length ? 2 + length : -1;
    }

    /**
     * Parses every complete frame in {@code bytes[offset .. offset + length)}, handing each message
     * to {@code sink}.
     *
     * @return the number of bytes consumed (complete frames); the rest is an incomplete frame
     * @throws DnsFormatException if a complete frame holds a corrupt or short message
     */
    public static int parseFrames(byte[] bytes, int offset, int length, Consumer<DnsMessage> sink)
            throws DnsFormatException {
        int consumed = 0;
        while (true) {
            int frame = frameLength(bytes, offset + consumed, length - consumed);
            if (frame < 0) {
                return consumed;
            }
            sink.accept(DnsMessage.parse(bytes, offset + consumed + 2, frame - 2));
            consumed += frame;
        }
    }
}
