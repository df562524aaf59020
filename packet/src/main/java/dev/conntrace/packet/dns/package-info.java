/**
 * DNS messages (RFC 1035, EDNS RFC 6891, SVCB/HTTPS RFC 9460) parsed into records, and DNS-over-TCP
 * framing (RFC 7766); finding messages in decoded UDP and TCP packets ({@link dev.conntrace.packet.dns.DnsWireReader})
 * and matching queries with responses ({@link dev.conntrace.packet.dns.DnsTransactionTracker}).
 *
 * <p>Not a hot path: parsing allocates the message objects, but is bounded by the message (at most
 * 65535 bytes; names at most 255 bytes; compression pointers must point backwards and at most 64
 * are followed per name). Unknown types, classes and rcodes are carried as numbers; corrupt or
 * short input raises {@link dev.conntrace.packet.dns.DnsFormatException} naming the offset.
 * Messages and transactions are immutable and thread-safe; the reader and tracker are not thread-safe
 * and are bounded (buffered TCP directions, pending queries) with counters of what they dropped.
 */
package dev.conntrace.packet.dns;
