package dev.conntrace.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.conntrace.sockets.AddressFamily;
import dev.conntrace.sockets.Protocol;
import dev.conntrace.sockets.SocketEntry;
import dev.conntrace.sockets.SocketState;
import dev.conntrace.sockets.diag.HostSockets;
import dev.conntrace.sockets.diag.SocketSink;
import dev.conntrace.sockets.process.ProcessDetails;
import dev.conntrace.sockets.process.ProcessIndex;
import dev.conntrace.sockets.process.ProcessInfo;
import dev.conntrace.sys.NetNamespace;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code conntrace sockets}: TCP and UDP sockets with their processes, like {@code ss -tuanpi}. */
@Command(name = "sockets", aliases = {"ss"}, mixinStandardHelpOptions = true,
        description = "Lists TCP and UDP sockets with owning processes and TCP metrics (sock_diag, /proc fallback).")
final class SocketsCommand implements Callable<Integer> {
    /** Output formats. */
    enum Format { table, json }

    @Spec
    CommandSpec spec;

    @Option(names = {"-t", "--tcp"}, description = "TCP sockets (default: TCP and UDP).")
    boolean tcp;

    @Option(names = {"-u", "--udp"}, description = "UDP sockets (default: TCP and UDP).")
    boolean udp;

    @Option(names = {"-4", "--ipv4"}, description = "IPv4 sockets only.")
    boolean ipv4;

    @Option(names = {"-6", "--ipv6"}, description = "IPv6 sockets only.")
    boolean ipv6;

    @Option(names = {"-l", "--listening"}, description = "Only listening TCP and unconnected UDP sockets.")
    boolean listening;

    @Option(names = {"-a", "--all"}, description = "Sockets in every state (default: connected ones).")
    boolean all;

    @Option(names = {"-N", "--all-netns"}, description = "Every network namespace of the host (needs root).")
    boolean allNamespaces;

    @Option(names = "--netns", paramLabel = "NAME|all",
            description = "Only this network namespace (/run/netns name or path); 'all' is -N.")
    String netns;

    @Option(names = "--state", paramLabel = "STATE", description = "Only sockets in this state, as ss names them"
            + " (established, syn-sent, syn-recv, fin-wait-1, fin-wait-2, time-wait, closed, close-wait, last-ack,"
            + " listening, closing); repeatable. Overrides -a and -l.")
    List<String> states;

    @Option(names = "--port", paramLabel = "N", description = "Only sockets with this local or remote port.")
    Integer port;

    @Option(names = "--pid", paramLabel = "N", description = "Only sockets held by this process.")
    Integer pid;

    @Option(names = "--process", paramLabel = "NAME", description = "Only sockets held by a process with this name (comm).")
    String processName;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json (one object per line).")
    Format format;

    @Option(names = "--debug", description = "Stack traces on errors.")
    boolean debug;

    private Set<SocketState> stateFilter;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            stateFilter = states == null ? null : SsStates.parse(states);
            if (port != null && (port < 0 || port > 0xFFFF)) {
                throw new IllegalArgumentException("port " + port + " outside 0..65535");
            }
        } catch (IllegalArgumentException e) {
            err.println("conntrace sockets: " + e.getMessage());
            err.flush();
            return 2;
        }
        boolean everyNamespace = allNamespaces || "all".equals(netns);
        String oneNamespace = netns != null && !"all".equals(netns) ? netns : null;
        try {
            Set<Protocol> protocols = tcp == udp ? EnumSet.allOf(Protocol.class)
                    : EnumSet.of(tcp ? Protocol.TCP : Protocol.UDP);
            Set<AddressFamily> families = ipv4 == ipv6 ? EnumSet.allOf(AddressFamily.class)
                    : EnumSet.of(ipv4 ? AddressFamily.INET : AddressFamily.INET6);
            ProcessIndex index = ProcessIndex.system();
            // the fd tables are read while the kernel dumps the sockets: rows that come before the
            // scan ends wait for it (at most one listing's worth), later rows go straight out
            IOException[] scanFailed = new IOException[1];
            int scanThreads = scanThreads();
            Thread scan = Thread.ofPlatform().name("conntrace-fd-scan").start(() -> {
                try {
                    index.fullScan(scanThreads);
                } catch (IOException e) {
                    scanFailed[0] = e;
                }
            });
            List<SocketEntry> early = new ArrayList<>();
            ProcessDetails details = ProcessDetails.system();
            Map<Integer, ProcessInfo> seen = new HashMap<>(); // one listing is one moment: read each process once
            try (Printer printer = format == Format.json ? new JsonPrinter(out) : new TablePrinter(out, everyNamespace)) {
                HostSockets.Options options = new HostSockets.Options(protocols, families, everyNamespace);
                SocketSink direct = e -> {
                    List<ProcessInfo> owners = owners(e, index, details, seen);
                    if (ownedAsAsked(owners)) {
                        printer.print(e, owners);
                    }
                };
                SocketSink sink = e -> {
                    if (!wanted(e)) {
                        return;
                    }
                    if (scan.isAlive()) {
                        early.add(e);
                        return;
                    }
                    if (!early.isEmpty()) {
                        drain(early, scan, scanFailed, direct);
                    }
                    direct.accept(e);
                };
                HostSockets.Report report;
                if (oneNamespace == null) {
                    report = HostSockets.list(options, sink);
                } else {
                    try (NetNamespace ns = NetnsOption.open(oneNamespace)) {
                        report = ns.call(() -> HostSockets.list(options, sink));
                    }
                }
                drain(early, scan, scanFailed, direct);
                out.flush();
                List<String> problems = new ArrayList<>(report.problems());
                long unreadable = index.counters().unreadable();
                if (unreadable > 0) {
                    problems.add("owners of some sockets are missing: " + unreadable
                            + " processes' fd tables are unreadable (run as root to see every process)");
                }
                problems.forEach(p -> err.println("conntrace sockets: " + p));
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            out.flush();
            err.println("conntrace sockets: " + e.getMessage());
            if (debug) {
                e.printStackTrace(err);
            }
            return 1;
        }
    }

    /**
     * Threads reading the fd tables: 1 (the scan thread alone) unless the hidden system property
     * {@value #SCAN_THREADS_PROPERTY} says otherwise (1 to 16), so that both can be timed on one build.
     */
    static int scanThreads() {
        return Math.clamp(Integer.getInteger(SCAN_THREADS_PROPERTY, 1), 1, 16);
    }

    /** Hidden: the fd scan's thread count, for measurements. */
    static final String SCAN_THREADS_PROPERTY = "conntrace.sockets.scanThreads";

    /** Waits for the fd scan, then prints the rows held back for it. */
    private static void drain(List<SocketEntry> early, Thread scan, IOException[] scanFailed, SocketSink direct)
            throws IOException {
        try {
            scan.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading the processes' fd tables", e);
        }
        if (scanFailed[0] != null) {
            throw scanFailed[0];
        }
        for (SocketEntry e : early) {
            direct.accept(e);
        }
        early.clear();
    }

    private boolean ownedAsAsked(List<ProcessInfo> owners) {
        if (pid == null && processName == null) {
            return true;
        }
        for (ProcessInfo p : owners) {
            if ((pid == null || p.pid() == pid) && (processName == null || processName.equals(p.comm()))) {
                return true;
            }
        }
        return false;
    }

    private boolean wanted(SocketEntry e) {
        if (port != null && e.localPort() != port && e.remotePort() != port) {
            return false;
        }
        if (stateFilter != null) {
            return stateFilter.contains(e.state());
        }
        boolean isListener = e.protocol() == Protocol.TCP ? e.state().equals(SocketState.LISTEN)
                : !e.isConnected();
        if (listening) {
            return isListener;
        }
        return all || !isListener;
    }

    private static List<ProcessInfo> owners(SocketEntry e, ProcessIndex index, ProcessDetails details,
            Map<Integer, ProcessInfo> seen) {
        if (e.inode() == 0) {
            return List.of();
        }
        List<ProcessInfo> list = new ArrayList<>(1);
        for (int pid : index.pidsOf(e.inode())) {
            ProcessInfo p = seen.computeIfAbsent(pid, details::get);
            if (p != null) {
                list.add(p);
            }
        }
        return list;
    }

    /** Writes sockets one by one. */
    private interface Printer extends AutoCloseable {
        void print(SocketEntry e, List<ProcessInfo> owners) throws IOException;

        @Override
        void close() throws IOException;
    }

    /** ss-like columns, one line per socket, written as they come. */
    private static final class TablePrinter implements Printer {
        private final PrintWriter out;
        private final boolean showNamespace;
        private final StringBuilder line = new StringBuilder(160);
        private boolean header;

        TablePrinter(PrintWriter out, boolean showNamespace) {
            this.out = out;
            this.showNamespace = showNamespace;
        }

        @Override
        public void print(SocketEntry e, List<ProcessInfo> owners) {
            header();
            line.setLength(0);
            if (showNamespace) {
                pad(Long.toString(e.netns()), 11).append(' ');
            }
            pad(e.protocol().label(), 5).append(' ');
            pad(state(e), 11).append(' ');
            padLeft(Long.toString(e.rxQueue()), 6).append(' ');
            padLeft(Long.toString(e.txQueue()), 6).append(' ');
            pad(endpoint(e.localAddress(), e.localPort()), 40).append(' ');
            pad(endpoint(e.remoteAddress(), e.remotePort()), 40).append(' ');
            for (int i = 0; i < owners.size(); i++) {
                ProcessInfo p = owners.get(i);
                if (i > 0) {
                    line.append(',');
                }
                line.append(p.comm()).append('/').append(p.pid());
            }
            line.append(System.lineSeparator());
            out.write(line.toString()); // write, not printf: no per-row format parsing, no autoflush
        }

        private StringBuilder pad(String s, int width) {
            line.append(s);
            for (int i = s.length(); i < width; i++) {
                line.append(' ');
            }
            return line;
        }

        private StringBuilder padLeft(String s, int width) {
            for (int i = s.length(); i < width; i++) {
                line.append(' ');
            }
            return line.append(s);
        }

        private static String state(SocketEntry e) {
            return e.protocol() == Protocol.UDP && e.state().equals(SocketState.CLOSE) ? "UNCONN" : e.state().name();
        }

        private static String endpoint(dev.conntrace.sys.IpAddress a, int port) {
            String p = port == 0 ? "*" : Integer.toString(port);
            return a.v6() ? "[" + a + "]:" + p : a + ":" + p;
        }

        /** The column names, once; also for an empty listing, so that it reads as empty. */
        private void header() {
            if (!header) {
                if (showNamespace) {
                    out.printf("%-11s ", "Netns");
                }
                out.printf("%-5s %-11s %6s %6s %-40s %-40s %s%n", "Netid", "State", "Recv-Q", "Send-Q",
                        "Local Address:Port", "Peer Address:Port", "Process");
                header = true;
            }
        }

        @Override
        public void close() {
            header();
            out.flush();
        }
    }

    /** JSON lines: one object per socket. */
    private static final class JsonPrinter implements Printer {
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

        JsonPrinter(PrintWriter out) throws IOException {
            JsonFactory f = new JsonFactory().setRootValueSeparator(null);
            if (out instanceof StdoutWriter std) {
                std.flush();
                g = f.createGenerator(std.bytes(), JsonEncoding.UTF8); // UTF-8 straight into stdout's buffer
            } else {
                g = f.createGenerator(out);
            }
            g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
        }

        @Override
        public void print(SocketEntry e, List<ProcessInfo> owners) throws IOException {
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

        /** A __u64 field: values above Long.MAX_VALUE are written unsigned, not negative. */
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

        @Override
        public void close() throws IOException {
            g.close();
        }
    }
}
