package dev.conntrace.reassembly;

import dev.conntrace.packet.CaptureFile;
import dev.conntrace.packet.DecodedPacket;
import dev.conntrace.packet.PacketDecoder;
import dev.conntrace.packet.PacketSource;
import dev.conntrace.sys.IpAddress;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A deliberately naive model of our policy for one direction of a capture that holds one connection on
 * that 4-tuple: offset 0 is the byte after the first SYN (else the first segment's first byte); for every
 * offset the first segment (in capture order) that covers it wins; bytes cut by the snapshot length are
 * zeros that also count as covered; bytes at or after the first FIN's end are dropped; gaps are zeros;
 * nothing after the last covered offset is written.
 */
final class FirstWinsModel {
    private FirstWinsModel() {}

    static byte[] expected(Path pcap, String src, int sport, String dst, int dport) throws IOException {
        IpAddress s = IpAddress.parse(src);
        IpAddress d = IpAddress.parse(dst);
        byte[] out = new byte[1 << 16];
        byte[] state = new byte[1 << 16]; // 0 not covered, 1 data, 2 cut by the snapshot length
        long base = -1;
        long fin = Long.MAX_VALUE;
        int end = 0;
        DecodedPacket p = new DecodedPacket();
        try (PacketSource in = CaptureFile.open(pcap)) {
            while (in.next()) {
                PacketDecoder.decode(in.linkType(), in.data(), in.dataOffset(), in.captureLength(), in.originalLength(), p);
                if (!p.isTcp() || !p.src().equals(s) || !p.dst().equals(d) || p.srcPort() != sport || p.dstPort() != dport) {
                    continue;
                }
                boolean syn = (p.tcpFlags() & TcpFlags.SYN) != 0;
                long seq = syn ? Seq.add(p.seq(), 1) : p.seq();
                int len = p.payloadLength();
                int total = len + p.payloadMissing();
                if (base < 0 && (syn || total > 0)) {
                    base = seq;
                }
                if (base < 0) {
                    continue;
                }
                long rel = Seq.diff(seq, base);
                if ((p.tcpFlags() & TcpFlags.FIN) != 0 && fin == Long.MAX_VALUE) {
                    fin = rel + total;
                }
                for (int i = 0; i < total; i++) {
                    long at = rel + i;
                    if (at < 0 || at >= fin) {
                        continue;
                    }
                    if (at >= out.length) {
                        int n = (int) Math.max(at + 1, out.length * 2L);
                        out = Arrays.copyOf(out, n);
                        state = Arrays.copyOf(state, n);
                    }
                    if (state[(int) at] == 0) {
                        state[(int) at] = (byte) (i < len ? 1 : 2);
                        out[(int) at] = i < len ? p.data().get(ValueLayout.JAVA_BYTE, p.payloadOffset() + i) : 0;
                    }
                }
            }
        }
        // trailing bytes never carried as data (only cut by the snapshot length) are not written
        for (int i = 0; i < state.length; i++) {
            if (state[i] == 1) {
                end = i + 1;
            }
        }
        return Arrays.copyOf(out, end);
    }
}
