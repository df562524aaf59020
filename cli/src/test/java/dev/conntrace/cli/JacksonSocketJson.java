package dev.conntrace.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.conntrace.sockets.SocketEntry;
import dev.conntrace.sockets.process.ProcessInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.util.List;
import java.util.Map;

/**
 * The JSON lines {@code conntrace sockets -o json} wrote with Jackson before {@link SocketJsonLine}: kept
 * as the oracle that the byte writer must match, byte for byte.
 */
final class JacksonSocketJson implements AutoCloseable {
    private final JsonGenerator g;
    private final JsonFactory factory = new JsonFactory();
    // keyed by identity: a listing reads each process once, so one pid is one ProcessInfo object
    private final Map<ProcessInfo, SerializableString> processes = new java.util.IdentityHashMap<>();
    private static final SerializableString N_BYTES_ACKED = new SerializedString("bytes_acked");
    private static final SerializableString N_BYTES_RECEIVED = new SerializedString("bytes_received");
    private static final SerializableString N_BYTES_RETRANS = new SerializedString("bytes_retrans");
    private static final SerializableString N_BYTES_SENT = new SerializedString("bytes_sent");
    private static final SerializableString N_CMDLINE = new SerializedString("cmdline");
    private static final SerializableString N_COMM = new SerializedString("comm");
    private static final SerializableString N_CONTAINER = new SerializedString("container");
    private static final SerializableString N_COOKIE = new SerializedString("cookie");
    private static final SerializableString N_DELIVERY_RATE = new SerializedString("delivery_rate");
    private static final SerializableString N_EXE = new SerializedString("exe");
    private static final SerializableString N_FAMILY = new SerializedString("family");
    private static final SerializableString N_INODE = new SerializedString("inode");
    private static final SerializableString N_IP = new SerializedString("ip");
    private static final SerializableString N_LAST_ACK_RECV_MS = new SerializedString("last_ack_recv_ms");
    private static final SerializableString N_LAST_DATA_RECV_MS = new SerializedString("last_data_recv_ms");
    private static final SerializableString N_LAST_DATA_SENT_MS = new SerializedString("last_data_sent_ms");
    private static final SerializableString N_LOCAL = new SerializedString("local");
    private static final SerializableString N_LOST = new SerializedString("lost");
    private static final SerializableString N_MIN_RTT_US = new SerializedString("min_rtt_us");
    private static final SerializableString N_NETNS = new SerializedString("netns");
    private static final SerializableString N_NOTSENT_BYTES = new SerializedString("notsent_bytes");
    private static final SerializableString N_PACING_RATE = new SerializedString("pacing_rate");
    private static final SerializableString N_PID = new SerializedString("pid");
    private static final SerializableString N_PMTU = new SerializedString("pmtu");
    private static final SerializableString N_PORT = new SerializedString("port");
    private static final SerializableString N_PROCESSES = new SerializedString("processes");
    private static final SerializableString N_PROTO = new SerializedString("proto");
    private static final SerializableString N_RCV_MSS = new SerializedString("rcv_mss");
    private static final SerializableString N_REMOTE = new SerializedString("remote");
    private static final SerializableString N_RETRANS = new SerializedString("retrans");
    private static final SerializableString N_RETRANSMITS = new SerializedString("retransmits");
    private static final SerializableString N_RTO_US = new SerializedString("rto_us");
    private static final SerializableString N_RTT_US = new SerializedString("rtt_us");
    private static final SerializableString N_RTTVAR_US = new SerializedString("rttvar_us");
    private static final SerializableString N_RX_QUEUE = new SerializedString("rx_queue");
    private static final SerializableString N_SEGS_IN = new SerializedString("segs_in");
    private static final SerializableString N_SEGS_OUT = new SerializedString("segs_out");
    private static final SerializableString N_SND_CWND = new SerializedString("snd_cwnd");
    private static final SerializableString N_SND_MSS = new SerializedString("snd_mss");
    private static final SerializableString N_SND_SSTHRESH = new SerializedString("snd_ssthresh");
    private static final SerializableString N_STATE = new SerializedString("state");
    private static final SerializableString N_TCP = new SerializedString("tcp");
    private static final SerializableString N_TOTAL_RETRANS = new SerializedString("total_retrans");
    private static final SerializableString N_TX_QUEUE = new SerializedString("tx_queue");
    private static final SerializableString N_UID = new SerializedString("uid");
    private static final SerializableString N_UNACKED = new SerializedString("unacked");
    private static final SerializableString N_UNIT = new SerializedString("unit");
    private static final SerializableString N_USER = new SerializedString("user");
    private static final SerializableString N_V6ONLY = new SerializedString("v6only");

    /** Writes UTF-8 to {@code out}, as the command did to standard output's byte stream. */
    JacksonSocketJson(OutputStream out) throws IOException {
        g = new JsonFactory().setRootValueSeparator(null).createGenerator(out, JsonEncoding.UTF8);
        g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
    }

    /** Writes characters to {@code out}, as the command did to any writer but standard output's. */
    JacksonSocketJson(Writer out) throws IOException {
        g = new JsonFactory().setRootValueSeparator(null).createGenerator(out);
        g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
    }

    void print(SocketEntry e, List<ProcessInfo> owners) throws IOException {
        g.writeStartObject();
        num(N_NETNS, e.netns());
        g.writeFieldName(N_PROTO);
        g.writeString(e.protocol().label());
        g.writeFieldName(N_FAMILY);
        g.writeString(e.family().label());
        g.writeFieldName(N_STATE);
        g.writeString(e.state().name());
        endpoint(N_LOCAL, e.localAddress(), e.localPort());
        endpoint(N_REMOTE, e.remoteAddress(), e.remotePort());
        num(N_INODE, e.inode());
        num(N_UID, Integer.toUnsignedLong(e.uid()));
        num(N_RX_QUEUE, e.rxQueue());
        num(N_TX_QUEUE, e.txQueue());
        if (e.cookie() != -1) {
            num(N_COOKIE, e.cookie());
        }
        if (e.v6Only() != dev.conntrace.sockets.V6Only.UNKNOWN) {
            g.writeFieldName(N_V6ONLY);
            g.writeBoolean(e.v6Only() == dev.conntrace.sockets.V6Only.V6_ONLY);
        }
        g.writeFieldName(N_PROCESSES);
        g.writeStartArray();
        for (ProcessInfo p : owners) {
            g.writeRawValue(processJson(p)); // the same few processes own thousands of sockets
        }
        g.writeEndArray();
        var t = e.tcpInfo();
        if (t != null) {
            g.writeFieldName(N_TCP);
            g.writeStartObject();
            num(N_RTT_US, t.rttUs());
            num(N_RTTVAR_US, t.rttVarUs());
            num(N_MIN_RTT_US, t.minRttUs());
            num(N_RTO_US, t.rtoUs());
            num(N_RETRANS, t.retrans());
            num(N_RETRANSMITS, t.retransmits());
            num(N_TOTAL_RETRANS, t.totalRetrans());
            num(N_LOST, t.lost());
            num(N_UNACKED, t.unacked());
            u64(N_BYTES_ACKED, t.bytesAcked());
            u64(N_BYTES_RECEIVED, t.bytesReceived());
            u64(N_BYTES_SENT, t.bytesSent());
            u64(N_BYTES_RETRANS, t.bytesRetrans());
            num(N_SEGS_IN, t.segsIn());
            num(N_SEGS_OUT, t.segsOut());
            num(N_SND_CWND, t.sndCwnd());
            num(N_SND_SSTHRESH, t.sndSsthresh());
            num(N_SND_MSS, t.sndMss());
            num(N_RCV_MSS, t.rcvMss());
            num(N_PMTU, t.pmtu());
            u64(N_DELIVERY_RATE, t.deliveryRate());
            u64(N_PACING_RATE, t.pacingRate());
            num(N_NOTSENT_BYTES, t.notsentBytes());
            num(N_LAST_DATA_SENT_MS, t.lastDataSentMs());
            num(N_LAST_DATA_RECV_MS, t.lastDataRecvMs());
            num(N_LAST_ACK_RECV_MS, t.lastAckRecvMs());
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeRaw('\n'); // no flush per row: the generator's buffer goes out when full and at the end
    }

    /** The JSON object of process {@code p}, encoded once per listing. */
    private SerializableString processJson(ProcessInfo p) throws IOException {
        SerializableString done = processes.get(p);
        if (done == null) {
            java.io.StringWriter w = new java.io.StringWriter(256);
            try (JsonGenerator pg = factory.createGenerator(w)) {
                pg.writeStartObject();
                pg.writeFieldName(N_PID);
                pg.writeNumber(p.pid());
                pg.writeFieldName(N_COMM);
                pg.writeString(p.comm());
                pg.writeFieldName(N_CMDLINE);
                pg.writeString(p.cmdline());
                pg.writeFieldName(N_EXE);
                pg.writeString(p.exe());
                pg.writeFieldName(N_USER);
                pg.writeString(p.user());
                pg.writeFieldName(N_CONTAINER);
                pg.writeString(p.containerId());
                pg.writeFieldName(N_UNIT);
                pg.writeString(p.unit());
                pg.writeEndObject();
            }
            done = new SerializedString(w.toString());
            processes.put(p, done);
        }
        return done;
    }

    /** A signed field, as Jackson writes a long. */
    private void num(SerializableString name, long v) throws IOException {
        g.writeFieldName(name);
        g.writeNumber(v);
    }

    /** An unsigned 64-bit figure: as a number, or as its decimal text beyond Long.MAX_VALUE. */
    private void u64(SerializableString name, long v) throws IOException {
        g.writeFieldName(name);
        if (v >= 0) {
            g.writeNumber(v);
        } else {
            g.writeNumber(Long.toUnsignedString(v));
        }
    }

    private void endpoint(SerializableString name, dev.conntrace.sys.IpAddress a, int port) throws IOException {
        g.writeFieldName(name);
        g.writeStartObject();
        g.writeFieldName(N_IP);
        g.writeString(a.toString());
        num(N_PORT, port);
        g.writeEndObject();
    }

    /** Sends what the generator holds on to its target. */
    void flush() throws IOException {
        g.flush();
    }

    @Override
    public void close() throws IOException {
        g.close();
    }
}
