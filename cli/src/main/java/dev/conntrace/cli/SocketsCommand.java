package dev.conntrace.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
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
@Command(name = "sockets", mixinStandardHelpOptions = true,
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
            Thread scan = Thread.ofPlatform().name("conntrace-fd-scan").start(() -> {
                try {
                    index.fullScan();
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
            g.writeNumberField("netns", e.netns());
            g.writeStringField("proto", e.protocol().label());
            g.writeStringField("family", e.family().label());
            g.writeStringField("state", e.state().name());
            endpoint("local", e.localAddress(), e.localPort());
            endpoint("remote", e.remoteAddress(), e.remotePort());
            g.writeNumberField("inode", e.inode());
            g.writeNumberField("uid", Integer.toUnsignedLong(e.uid()));
            g.writeNumberField("rx_queue", e.rxQueue());
            g.writeNumberField("tx_queue", e.txQueue());
            if (e.cookie() != -1) {
                g.writeNumberField("cookie", e.cookie());
            }
            if (e.v6Only() != dev.conntrace.sockets.V6Only.UNKNOWN) {
                g.writeBooleanField("v6only", e.v6Only() == dev.conntrace.sockets.V6Only.V6_ONLY);
            }
            g.writeArrayFieldStart("processes");
            for (ProcessInfo p : owners) {
                g.writeStartObject();
                g.writeNumberField("pid", p.pid());
                g.writeStringField("comm", p.comm());
                g.writeStringField("cmdline", p.cmdline());
                g.writeStringField("exe", p.exe());
                g.writeStringField("user", p.user());
                g.writeStringField("container", p.containerId());
                g.writeStringField("unit", p.unit());
                g.writeEndObject();
            }
            g.writeEndArray();
            var t = e.tcpInfo();
            if (t != null) {
                g.writeObjectFieldStart("tcp");
                g.writeNumberField("rtt_us", t.rttUs());
                g.writeNumberField("rttvar_us", t.rttVarUs());
                g.writeNumberField("min_rtt_us", t.minRttUs());
                g.writeNumberField("rto_us", t.rtoUs());
                g.writeNumberField("retrans", t.retrans());
                g.writeNumberField("retransmits", t.retransmits());
                g.writeNumberField("total_retrans", t.totalRetrans());
                g.writeNumberField("lost", t.lost());
                g.writeNumberField("unacked", t.unacked());
                u64("bytes_acked", t.bytesAcked());
                u64("bytes_received", t.bytesReceived());
                u64("bytes_sent", t.bytesSent());
                u64("bytes_retrans", t.bytesRetrans());
                g.writeNumberField("segs_in", t.segsIn());
                g.writeNumberField("segs_out", t.segsOut());
                g.writeNumberField("snd_cwnd", t.sndCwnd());
                g.writeNumberField("snd_ssthresh", t.sndSsthresh());
                g.writeNumberField("snd_mss", t.sndMss());
                g.writeNumberField("rcv_mss", t.rcvMss());
                g.writeNumberField("pmtu", t.pmtu());
                u64("delivery_rate", t.deliveryRate());
                u64("pacing_rate", t.pacingRate());
                g.writeNumberField("notsent_bytes", t.notsentBytes());
                g.writeNumberField("last_data_sent_ms", t.lastDataSentMs());
                g.writeNumberField("last_data_recv_ms", t.lastDataRecvMs());
                g.writeNumberField("last_ack_recv_ms", t.lastAckRecvMs());
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeRaw('\n'); // no flush per row: the generator's buffer goes out when full and at the end
        }

        /** A __u64 field: values above Long.MAX_VALUE are written unsigned, not negative. */
        private void u64(String name, long v) throws IOException {
            g.writeFieldName(name);
            if (v >= 0) {
                g.writeNumber(v);
            } else {
                g.writeNumber(Long.toUnsignedString(v));
            }
        }

        private void endpoint(String name, dev.conntrace.sys.IpAddress a, int port) throws IOException {
            g.writeObjectFieldStart(name);
            g.writeStringField("ip", a.toString());
            g.writeNumberField("port", port);
            g.writeEndObject();
        }

        @Override
        public void close() throws IOException {
            g.close();
        }
    }
}
