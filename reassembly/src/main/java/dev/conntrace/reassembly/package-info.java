/**
 * TCP stream reassembly (RFC 9293 sequence space): ordered bytes of each direction of each TCP
 * connection, from segments decoded by the caller (see {@link dev.conntrace.reassembly.TcpSegment}).
 *
 * <p>Model (after gopacket's {@code reassembly}, with its known defects fixed): an
 * {@link dev.conntrace.reassembly.Assembler} per thread works on a shared
 * {@link dev.conntrace.reassembly.StreamPool}; a {@link dev.conntrace.reassembly.StreamFactory} makes a
 * {@link dev.conntrace.reassembly.Stream} per connection, which is told of each accepted segment, of
 * reassembled bytes (a {@link dev.conntrace.reassembly.ScatterGather} of views) and of completion.
 *
 * <p>Policy: first copy wins, overlaps counted; gaps skipped (counted as missing) when buffer caps,
 * stop-waiting age, RST or end of input force it; snaplen-cut bytes are missing; RST ends both
 * directions; data after FIN and segments after completion are counted, not delivered; a SYN on a
 * completed 4-tuple starts a new connection; bad-checksum segments are counted and not used.
 *
 * <p>Thread-safety: the pool is thread-safe; an assembler is confined to one thread; a connection's
 * callbacks are serialised by its monitor. Memory bounds: {@link dev.conntrace.reassembly.AssemblerConfig}
 * caps buffered bytes per connection (4 MiB) and in total (256 MiB), idle pages per assembler (8 MiB)
 * and connections (1,000,000); overflow degrades by skipping gaps, and is counted.
 */
package dev.conntrace.reassembly;
