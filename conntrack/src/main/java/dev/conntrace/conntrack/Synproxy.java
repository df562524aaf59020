package dev.conntrace.conntrack;

/**
 * SYN proxy state ({@code CTA_SYNPROXY}, sub-attributes {@code CTA_SYNPROXY_*}); unsigned 32-bit
 * values held in the low bits of a long.
 *
 * @param isn initial sequence number the proxy chose
 * @param its initial timestamp
 * @param tsoff timestamp offset
 */
public record Synproxy(long isn, long its, long tsoff) {}
