package dev.conntrace.reassembly;

import dev.conntrace.sys.IpAddress;

/**
 * What one direction of one connection carried, as reported by {@link SummarizingStreamFactory}.
 *
 * @param stream connection index, in order of first packet
 * @param direction c2s or s2c
 * @param firstNanos capture time of the direction's first segment (the connection's first packet if it had none)
 * @param lastNanos capture time of its last segment (likewise)
 * @param bytes data bytes delivered
 * @param missing bytes skipped (gaps, snaplen cuts), written as zeros
 * @param overlap bytes received again for covered offsets (first copy kept)
 * @param lateBytes data bytes after the direction ended or before its start, not delivered
 * @param badChecksum segments dropped for bad checksums
 * @param sha256 lower-case hex SHA-256 of the bytes with gaps zero-filled
 * @param end how the direction ended
 */
public record DirectionSummary(long stream, Direction direction, IpAddress src, int srcPort, IpAddress dst, int dstPort,
        long packets, long firstNanos, long lastNanos, long bytes, long missing, long overlap, long lateBytes,
        long badChecksum, String sha256, EndReason end) {}
