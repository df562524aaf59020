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
        return decode(segment, offset, length, new byte[KNOWN_SIZE]);
    }

    /**
     * As {@link #decode(MemorySegment, long, int)}, copying the struct into {@code scratch} (at
     * least {@link #KNOWN_SIZE} bytes, reused by the caller): one bulk copy and plain array reads
     * instead of forty bounds-checked segment reads, which matters before the JIT has warmed up.
     */
    public static TcpInfo decode(MemorySegment segment, long offset, int length, byte[] scratch) {
        int n = Math.min(Math.max(length, 0), KNOWN_SIZE);
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, scratch, 0, n);
        java.util.Arrays.fill(scratch, n, KNOWN_SIZE, (byte) 0); // fields past the supplied length read as 0
        byte[] b = scratch;
        int wscale = u8(b, TCPI_WSCALE);
        return new TcpInfo(
                n,
                u8(b, TCPI_STATE), u8(b, TCPI_CA_STATE), u8(b, TCPI_RETRANSMITS), u8(b, TCPI_PROBES),
                u8(b, TCPI_BACKOFF), u8(b, TCPI_OPTIONS), wscale & 0x0F, wscale >>> 4,
                u32(b, TCPI_RTO), u32(b, TCPI_ATO), u32(b, TCPI_SND_MSS), u32(b, TCPI_RCV_MSS),
                u32(b, TCPI_UNACKED), u32(b, TCPI_LOST), u32(b, TCPI_RETRANS),
                u32(b, TCPI_LAST_DATA_SENT), u32(b, TCPI_LAST_DATA_RECV), u32(b, TCPI_LAST_ACK_RECV),
                u32(b, TCPI_PMTU), u32(b, TCPI_RTT), u32(b, TCPI_RTTVAR), u32(b, TCPI_SND_SSTHRESH),
                u32(b, TCPI_SND_CWND), u32(b, TCPI_ADVMSS), u32(b, TCPI_REORDERING), u32(b, TCPI_RCV_RTT),
                u32(b, TCPI_RCV_SPACE), u32(b, TCPI_TOTAL_RETRANS), u64(b, TCPI_PACING_RATE),
                u64(b, TCPI_BYTES_ACKED), u64(b, TCPI_BYTES_RECEIVED), u32(b, TCPI_SEGS_OUT), u32(b, TCPI_SEGS_IN),
                u32(b, TCPI_NOTSENT_BYTES), u32(b, TCPI_MIN_RTT), u64(b, TCPI_DELIVERY_RATE), u64(b, TCPI_BUSY_TIME),
                u32(b, TCPI_DELIVERED), u64(b, TCPI_BYTES_SENT), u64(b, TCPI_BYTES_RETRANS), u32(b, TCPI_SND_WND));
    }

    private static final boolean LITTLE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private static int u8(byte[] b, int at) {
        return b[at] & 0xFF;
    }

    private static long u32(byte[] b, int at) {
        long v0 = b[at] & 0xFF;
        long v1 = b[at + 1] & 0xFF;
        long v2 = b[at + 2] & 0xFF;
        long v3 = b[at + 3] & 0xFF;
        return LITTLE ? v0 | v1 << 8 | v2 << 16 | v3 << 24 : v3 | v2 << 8 | v1 << 16 | v0 << 24;
    }

    private static long u64(byte[] b, int at) {
        long lo = u32(b, at);
        long hi = u32(b, at + 4);
        return LITTLE ? lo | hi << 32 : hi | lo << 32;
    }
}
