package dev.conntrace.reassembly;

/**
 * Bytes of a segment whose checksum was bad, kept aside: used only for offsets that no good segment
 * supplied, when the gap is about to be skipped or the receiver acknowledged past it (typical of
 * captures taken with checksum offload, where the bytes were fine on the wire).
 */
final class Suspect {
    final long start;
    final byte[] data;
    final long timestampNanos;
    final long packetIndex;

    Suspect(long start, byte[] data, long timestampNanos, long packetIndex) {
        this.start = start;
        this.data = data;
        this.timestampNanos = timestampNanos;
        this.packetIndex = packetIndex;
    }

    long end() {
        return start + data.length;
    }
}
