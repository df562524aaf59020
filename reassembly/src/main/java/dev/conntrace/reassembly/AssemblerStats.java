package dev.conntrace.reassembly;

/**
 * Counters of one {@link Assembler}.
 *
 * @param segments segments given to {@link Assembler#assemble}
 * @param connectionsCreated connections this assembler created
 * @param connectionsRefused segments dropped because the pool was full
 * @param badChecksum segments dropped for a bad checksum
 * @param ignored segments the stream refused in {@link Stream#accept}
 * @param late segments for connections that had completed
 * @param gapsSkipped gaps given up on (buffer caps, stop-waiting age, end of input, RST)
 * @param pagesAllocated buffer pages ever allocated
 * @param pagesIdle free pages held for reuse now
 */
public record AssemblerStats(long segments, long connectionsCreated, long connectionsRefused, long badChecksum,
        long ignored, long late, long gapsSkipped, long pagesAllocated, int pagesIdle) {}
