package dev.conntrace.sockets.diag;

import dev.conntrace.sockets.TcpInfo;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Decodes {@code struct tcp_info} ({@code <linux/tcp.h>}) from the value of {@code INET_DIAG_INFO}.
 * The struct is in host byte order and grows with kernel versions: fields past the supplied length
 * read as 0, bytes past the known layout are ignored. Stateless and thread-safe.
 */
public final class TcpInfoDecoder {
    private TcpInfoDecoder() {}

    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.nativeOrder());
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.nativeOrder());

    // offsets in struct tcp_info (x86-64 and every other Linux ABI: no padding before u64 at 104)
    static final int TCPI_STATE = 0; // tcpi_state
    static final int TCPI_CA_STATE = 1; // tcpi_ca_state
    static final int TCPI_RETRANSMITS = 2; // tcpi_retransmits
    static final int TCPI_PROBES = 3; // tcpi_probes
    static final int TCPI_BACKOFF = 4; // tcpi_backoff
    static final int TCPI_OPTIONS = 5; // tcpi_options
    static final int TCPI_WSCALE = 6; // tcpi_snd_wscale : 4, tcpi_rcv_wscale : 4
    static final int TCPI_RTO = 8; // tcpi_rto
    static final int TCPI_ATO = 12; // tcpi_ato
    static final int TCPI_SND_MSS = 16; // tcpi_snd_mss
    static final int TCPI_RCV_MSS = 20; // tcpi_rcv_mss
    static final int TCPI_UNACKED = 24; // tcpi_unacked
    static final int TCPI_LOST = 32; // tcpi_lost
    static final int TCPI_RETRANS = 36; // tcpi_retrans
    static final int TCPI_LAST_DATA_SENT = 44; // tcpi_last_data_sent
    static final int TCPI_LAST_DATA_RECV = 52; // tcpi_last_data_recv
    static final int TCPI_LAST_ACK_RECV = 56; // tcpi_last_ack_recv
    static final int TCPI_PMTU = 60; // tcpi_pmtu
    static final int TCPI_RTT = 68; // tcpi_rtt
    static final int TCPI_RTTVAR = 72; // tcpi_rttvar
    static final int TCPI_SND_SSTHRESH = 76; // tcpi_snd_ssthresh
    static final int TCPI_SND_CWND = 80; // tcpi_snd_cwnd
    static final int TCPI_ADVMSS = 84; // tcpi_advmss
    static final int TCPI_REORDERING = 88; // tcpi_reordering
    static final int TCPI_RCV_RTT = 92; // tcpi_rcv_rtt
    static final int TCPI_RCV_SPACE = 96; // tcpi_rcv_space
    static final int TCPI_TOTAL_RETRANS = 100; // tcpi_total_retrans
    static final int TCPI_PACING_RATE = 104; // tcpi_pacing_rate (u64)
    static final int TCPI_BYTES_ACKED = 120; // tcpi_bytes_acked (u64)
    static final int TCPI_BYTES_RECEIVED = 128; // tcpi_bytes_received (u64)
    static final int TCPI_SEGS_OUT = 136; // tcpi_segs_out
    static final int TCPI_SEGS_IN = 140; // tcpi_segs_in
    static final int TCPI_NOTSENT_BYTES = 144; // tcpi_notsent_bytes
    static final int TCPI_MIN_RTT = 148; // tcpi_min_rtt
    static final int TCPI_DELIVERY_RATE = 160; // tcpi_delivery_rate (u64)
    static final int TCPI_BUSY_TIME = 168; // tcpi_busy_time (u64)
    static final int TCPI_DELIVERED = 192; // tcpi_delivered
    static final int TCPI_BYTES_SENT = 200; // tcpi_bytes_sent (u64)
    static final int TCPI_BYTES_RETRANS = 208; // tcpi_bytes_retrans (u64)
    static final int TCPI_SND_WND = 228; // tcpi_snd_wnd
    /** Bytes of the layout this decoder knows (sizeof(struct tcp_info) in the headers it follows). */
    public static final int KNOWN_SIZE = 232;

    /** Decodes {@code length} bytes at {@code offset} of {@code segment}; never reads past them. */
    public static TcpInfo decode(MemorySegment segment, long offset, int length) {
        Reader r = new Reader(segment, offset, length);
        int wscale = r.u8(TCPI_WSCALE);
        return new TcpInfo(
                Math.min(length, KNOWN_SIZE),
                r.u8(TCPI_STATE), r.u8(TCPI_CA_STATE), r.u8(TCPI_RETRANSMITS), r.u8(TCPI_PROBES),
                r.u8(TCPI_BACKOFF), r.u8(TCPI_OPTIONS), wscale & 0x0F, wscale >>> 4,
                r.u32(TCPI_RTO), r.u32(TCPI_ATO), r.u32(TCPI_SND_MSS), r.u32(TCPI_RCV_MSS),
                r.u32(TCPI_UNACKED), r.u32(TCPI_LOST), r.u32(TCPI_RETRANS),
                r.u32(TCPI_LAST_DATA_SENT), r.u32(TCPI_LAST_DATA_RECV), r.u32(TCPI_LAST_ACK_RECV),
                r.u32(TCPI_PMTU), r.u32(TCPI_RTT), r.u32(TCPI_RTTVAR), r.u32(TCPI_SND_SSTHRESH),
                r.u32(TCPI_SND_CWND), r.u32(TCPI_ADVMSS), r.u32(TCPI_REORDERING), r.u32(TCPI_RCV_RTT),
                r.u32(TCPI_RCV_SPACE), r.u32(TCPI_TOTAL_RETRANS), r.u64(TCPI_PACING_RATE),
                r.u64(TCPI_BYTES_ACKED), r.u64(TCPI_BYTES_RECEIVED), r.u32(TCPI_SEGS_OUT), r.u32(TCPI_SEGS_IN),
                r.u32(TCPI_NOTSENT_BYTES), r.u32(TCPI_MIN_RTT), r.u64(TCPI_DELIVERY_RATE), r.u64(TCPI_BUSY_TIME),
                r.u32(TCPI_DELIVERED), r.u64(TCPI_BYTES_SENT), r.u64(TCPI_BYTES_RETRANS), r.u32(TCPI_SND_WND));
    }

    private record Reader(MemorySegment s, long base, int length) {
        int u8(int at) {
            return at + 1 <= length ? s.get(ValueLayout.JAVA_BYTE, base + at) & 0xFF : 0;
        }

        long u32(int at) {
            return at + 4 <= length ? s.get(U32, base + at) & 0xFFFF_FFFFL : 0;
        }

        long u64(int at) {
            return at + 8 <= length ? s.get(U64, base + at) : 0;
        }
    }
}
