/**
 * TCP stream reassembly (RFC 9293 sequence space, RFC 5961 RST checks): the ordered bytes of each
 * direction of each TCP connection, from segments decoded by the caller.
 *
 * <p><b>Model</b> (gopacket's {@code reassembly} contract): an {@link dev.conntrace.reassembly.Assembler}
 * per thread works on a shared, thread-safe {@link dev.conntrace.reassembly.StreamPool} keyed by the
 * bidirectional 4-tuple; a {@link dev.conntrace.reassembly.StreamFactory} makes a
 * {@link dev.conntrace.reassembly.Stream} per connection, which is told of each accepted segment, of
 * reassembled bytes (a {@link dev.conntrace.reassembly.ScatterGather} of views, with keep-from, capture
 * info per byte, start/end/skip) and of each direction's end and the connection's completion. Input is a
 * reusable {@link dev.conntrace.reassembly.TcpSegment}; {@link dev.conntrace.reassembly.PacketAdapter} fills
 * it from module {@code packet}, and {@link dev.conntrace.reassembly.CaptureReassembler} drives a whole
 * capture, putting IP fragments (RFC 791, RFC 8200 section 4.5) back together first with the packet module's
 * {@code IpDefragmenter} (by default at most 1024 datagrams and 16 MiB pending, 30 s each; fragments of
 * datagrams given up are counted and left out). {@link dev.conntrace.reassembly.SummarizingStreamFactory} hashes (SHA-256) and optionally writes
 * each direction.
 *
 * <p><b>Policy.</b>
 * <ul>
 *   <li>Stream offset 0 is the byte after the SYN, or the first byte seen without one. The client is the
 *       sender of the first SYN, the receiver of a first SYN-ACK, else the sender of the first packet.</li>
 *   <li>Overlaps: the first copy of a byte wins; later copies (retransmissions included) are counted as
 *       overlap.</li>
 *   <li>Gaps are waited for until the buffer caps, the stop-waiting age, a RST or the end of input force
 *       skipping them; skipped bytes are counted as missing (and written as zeros by the summarizer; a gap
 *       at the very end, followed by no data, is not written). A gap the receiver acknowledged (the capture
 *       missed bytes the receiver got) is skipped sooner: once 64 KiB are buffered after it or the
 *       acknowledgement covers the FIN; a copy arriving later is overlap.</li>
 *   <li>Bytes cut off by the snapshot length are missing at once (a later retransmission of them is
 *       overlap).</li>
 *   <li>Segments with a bad checksum are counted and not used; their bytes are kept aside and used only for
 *       offsets no good segment supplied, once the receiver acknowledged past them or the gap must be
 *       closed (captures taken with checksum offload or GRO carry such checksums on good data); a bad
 *       SYN's sequence number starts its direction until a good SYN says otherwise.</li>
 *   <li>A RST is accepted when its sequence is near the sender's next byte (or, before the sender sent
 *       anything, when it acknowledges the peer's SYN); others are counted and ignored. An accepted RST
 *       ends its sender's direction at once and the other direction after a grace for data already in
 *       flight (1 s of capture time by default), both with reason {@code rst}.</li>
 *   <li>Data past a direction's FIN, and segments for a completed connection, are counted as late and
 *       never delivered; they do not resurrect the connection. A SYN (without ACK) on a completed 4-tuple,
 *       or with a new initial sequence number on a used one, starts a new connection.</li>
 *   <li>Segments starting more than 64 MiB past the next expected byte are out of window (counted),
 *       unless 16 come in a row, which resynchronises the stream.</li>
 * </ul>
 *
 * <p><b>Threads.</b> The pool is thread-safe; an assembler is confined to one thread; a connection's
 * callbacks are serialised by its monitor. {@link dev.conntrace.reassembly.Assembler#flushAll()} ends the
 * whole pool and is called once no assembler is running.
 *
 * <p><b>Memory bounds</b> ({@link dev.conntrace.reassembly.AssemblerConfig#defaults()}): 4 MiB buffered per
 * connection and 256 MiB per pool (both directions, out-of-order, kept and bad-checksum bytes, in 2 KiB
 * pages), overflow degrading to skipping the oldest gap; 16,384 idle pages per assembler, halved at every
 * age flush; 1,000,000 connections per pool, more refused and counted. In-order segments are delivered as
 * views of the caller's memory with no copy and no allocation; a segment put back together from fragments
 * is delivered from the defragmenter's buffer (fragments allocate: they are rare).
 */
package dev.conntrace.reassembly;
