package dev.conntrace.conntrack;

/**
 * Accounting of one direction ({@code CTA_COUNTERS_ORIG} / {@code CTA_COUNTERS_REPLY}); the kernel
 * sends them only while {@code net.netfilter.nf_conntrack_acct} is on.
 *
 * @param packets packets seen (unsigned 64 bits)
 * @param bytes bytes seen, IP headers included (unsigned 64 bits)
 */
public record Counters(long packets, long bytes) {}
