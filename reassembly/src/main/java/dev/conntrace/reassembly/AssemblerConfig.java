package dev.conntrace.reassembly;

/**
 * Limits of a {@link StreamPool} and its assemblers. Every limit is bounded; see {@link #defaults()}.
 *
 * @param pageSize bytes per buffer page for out-of-order and kept data
 * @param maxBufferedPerConnection bytes of pages one connection may hold (both directions); beyond it the
 *     oldest gap is skipped (counted as missing) instead of waiting
 * @param maxBufferedTotal bytes of pages all connections of the pool may hold together; same degradation
 * @param maxIdlePagesPerAssembler free pages an assembler keeps for reuse; more are released, and
 *     {@link Assembler#flushOlderThan} halves the idle set
 * @param maxConnections connections the pool tracks at once; packets of new connections beyond it are
 *     counted ({@link AssemblerStats#connectionsRefused()}) and dropped
 * @param maxSeqJump a segment starting more than this many bytes past the next expected byte is counted as
 *     out of window and ignored, unless {@link #resyncAfter} such segments come in a row
 * @param resyncAfter consecutive out-of-window segments after which the stream skips to them
 * @param rstGraceNanos after a valid RST ends its sender's direction, the other direction still takes data
 *     already in flight for this long (capture time), then ends with {@link EndReason#RST}
 */
public record AssemblerConfig(int pageSize, long maxBufferedPerConnection, long maxBufferedTotal,
        int maxIdlePagesPerAssembler, int maxConnections, long maxSeqJump, int resyncAfter, long rstGraceNanos) {

    public AssemblerConfig {
        if (pageSize < 64 || pageSize > (1 << 20)) {
            throw new IllegalArgumentException("pageSize " + pageSize + " outside [64, 1 MiB]");
        }
        if (maxBufferedPerConnection < pageSize || maxBufferedTotal < maxBufferedPerConnection) {
            throw new IllegalArgumentException("buffer caps must satisfy pageSize <= perConnection <= total");
        }
        if (maxIdlePagesPerAssembler < 0 || maxConnections < 1 || maxSeqJump < 1 || maxSeqJump > (1L << 30)
                || resyncAfter < 1 || rstGraceNanos < 0) {
            throw new IllegalArgumentException("invalid assembler limits");
        }
    }

    /**
     * 2 KiB pages; 4 MiB buffered per connection; 256 MiB in total; 16384 idle pages (32 MiB) kept per
     * assembler; 1,000,000 connections; a 64 MiB sequence jump; resynchronise after 16 jumps in a row;
     * 1 s of grace for in-flight data after a RST.
     */
    public static AssemblerConfig defaults() {
        return new AssemblerConfig(2048, 4L << 20, 256L << 20, 16384, 1_000_000, 64L << 20, 16, 1_000_000_000L);
    }

    public AssemblerConfig withBufferCaps(long perConnection, long total) {
        return new AssemblerConfig(pageSize, perConnection, total, maxIdlePagesPerAssembler, maxConnections,
                maxSeqJump, resyncAfter, rstGraceNanos);
    }

    public AssemblerConfig withPageSize(int size) {
        return new AssemblerConfig(size, maxBufferedPerConnection, maxBufferedTotal, maxIdlePagesPerAssembler,
                maxConnections, maxSeqJump, resyncAfter, rstGraceNanos);
    }

    public AssemblerConfig withMaxConnections(int max) {
        return new AssemblerConfig(pageSize, maxBufferedPerConnection, maxBufferedTotal, maxIdlePagesPerAssembler,
                max, maxSeqJump, resyncAfter, rstGraceNanos);
    }

    public AssemblerConfig withRstGrace(long nanos) {
        return new AssemblerConfig(pageSize, maxBufferedPerConnection, maxBufferedTotal, maxIdlePagesPerAssembler,
                maxConnections, maxSeqJump, resyncAfter, nanos);
    }
}
