/**
 * Capture sources and packet decoding.
 *
 * <ul>
 *   <li>{@link dev.conntrace.packet.CaptureFile} opens pcap (draft-ietf-opsawg-pcap) and pcapng
 *       (draft-ietf-opsawg-pcapng) captures as a {@link dev.conntrace.packet.PacketSource}: regular
 *       files are mapped and read in place, streams through a sliding buffer. Corrupt structure
 *       raises {@link dev.conntrace.packet.CaptureFormatException} with the file offset; a file cut
 *       short ends after its last complete packet and reports the tail's offset.</li>
 *   <li>{@link dev.conntrace.packet.PacketDecoder} decodes Ethernet (802.1Q/802.1ad, MPLS, PPPoE),
 *       Linux cooked v1/v2, raw IP, BSD loopback and NFLOG link layers (LINKTYPE_* registry), IPv4
 *       (RFC 791), IPv6 with extension headers (RFC 8200, jumbograms RFC 2675), TCP (RFC 9293,
 *       options RFC 7323/2018), UDP (RFC 768), ICMP/ICMPv6 into a reusable
 *       {@link dev.conntrace.packet.DecodedPacket}, without allocating and without throwing.</li>
 *   <li>{@link dev.conntrace.packet.LiveCapture} reads one interface live through an AF_PACKET
 *       socket with a TPACKET_V3 memory-mapped ring ({@code <linux/if_packet.h>}, packet(7)),
 *       in place, with the kernel's drop count, a kernel-side snapshot length, promiscuous mode and
 *       PACKET_FANOUT groups ({@link dev.conntrace.packet.Fanout}: hash, lb, cpu, rollover, random or qm,
 *       optionally defragmenting first).</li>
 *   <li>{@link dev.conntrace.packet.BpfProgram} is a classic BPF filter ({@code <linux/filter.h>}) for the
 *       kernel or run here over a file's packets; {@link dev.conntrace.packet.FilterCompiler} compiles
 *       tcpdump expressions (pcap-filter(7)) into one with the installed libpcap.</li>
 *   <li>{@link dev.conntrace.packet.IpDefragmenter} puts IPv4 (RFC 791) and IPv6 (RFC 8200) fragments
 *       back together under fixed bounds (datagrams, bytes, time).</li>
 *   <li>{@link dev.conntrace.packet.PcapWriter} and {@link dev.conntrace.packet.PcapngWriter} write
 *       captures that tshark reads.</li>
 * </ul>
 *
 * <p>Thread-safety: sources, writers, decoded packets and stats are single-threaded; the decoder
 * itself is stateless. Memory bounds: a mapped file costs address space, not heap; the stream
 * path holds one record (pcap at most 64 MiB, pcapng block at most 128 MiB) plus read-ahead; a
 * live capture's ring is fixed at open (128 MiB by default); the defragmenter holds at most its
 * configured datagrams and bytes (1024 and 16 MiB by default);
 * decoding allocates nothing; every wire-driven loop has a fixed bound.
 */
package dev.conntrace.packet;
