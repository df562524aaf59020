package dev.conntrace.sockets;

/**
 * TCP metrics of one socket: a subset of {@code struct tcp_info} ({@code <linux/tcp.h>}) as
 * sock_diag returns it in {@code INET_DIAG_INFO}. Times are in microseconds unless named
 * otherwise. Fields beyond what an older kernel sends ({@link #length()} bytes) are 0.
 *
 * @param length bytes of {@code struct tcp_info} the kernel supplied
 * @param state tcpi_state
 * @param caState tcpi_ca_state (congestion-avoidance state)
 * @param retransmits tcpi_retransmits (consecutive RTO retransmits in progress)
 * @param probes tcpi_probes
 * @param backoff tcpi_backoff
 * @param options tcpi_options (TCPI_OPT_* bits)
 * @param sndWscale tcpi_snd_wscale
 * @param rcvWscale tcpi_rcv_wscale
 * @param rtoUs tcpi_rto
 * @param atoUs tcpi_ato
 * @param sndMss tcpi_snd_mss
 * @param rcvMss tcpi_rcv_mss
 * @param unacked tcpi_unacked
 * @param lost tcpi_lost
 * @param retrans tcpi_retrans (segments retransmitted and not yet acknowledged)
 * @param lastDataSentMs tcpi_last_data_sent
 * @param lastDataRecvMs tcpi_last_data_recv
 * @param lastAckRecvMs tcpi_last_ack_recv
 * @param pmtu tcpi_pmtu
 * @param rttUs tcpi_rtt (smoothed)
 * @param rttVarUs tcpi_rttvar
 * @param sndSsthresh tcpi_snd_ssthresh
 * @param sndCwnd tcpi_snd_cwnd (segments)
 * @param advmss tcpi_advmss
 * @param reordering tcpi_reordering
 * @param rcvRttUs tcpi_rcv_rtt
 * @param rcvSpace tcpi_rcv_space
 * @param totalRetrans tcpi_total_retrans
 * @param pacingRate tcpi_pacing_rate (bytes/s)
 * @param bytesAcked tcpi_bytes_acked
 * @param bytesReceived tcpi_bytes_received
 * @param segsOut tcpi_segs_out
 * @param segsIn tcpi_segs_in
 * @param notsentBytes tcpi_notsent_bytes
 * @param minRttUs tcpi_min_rtt
 * @param deliveryRate tcpi_delivery_rate (bytes/s)
 * @param busyTimeUs tcpi_busy_time
 * @param delivered tcpi_delivered
 * @param bytesSent tcpi_bytes_sent
 * @param bytesRetrans tcpi_bytes_retrans
 * @param sndWnd tcpi_snd_wnd
 */
public record TcpInfo(
        int length,
        int state,
        int caState,
        int retransmits,
        int probes,
        int backoff,
        int options,
        int sndWscale,
        int rcvWscale,
        long rtoUs,
        long atoUs,
        long sndMss,
        long rcvMss,
        long unacked,
        long lost,
        long retrans,
        long lastDataSentMs,
        long lastDataRecvMs,
        long lastAckRecvMs,
        long pmtu,
        long rttUs,
        long rttVarUs,
        long sndSsthresh,
        long sndCwnd,
        long advmss,
        long reordering,
        long rcvRttUs,
        long rcvSpace,
        long totalRetrans,
        long pacingRate,
        long bytesAcked,
        long bytesReceived,
        long segsOut,
        long segsIn,
        long notsentBytes,
        long minRttUs,
        long deliveryRate,
        long busyTimeUs,
        long delivered,
        long bytesSent,
        long bytesRetrans,
        long sndWnd) {}
