package dev.conntrace.cli;

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
import java.io.OutputStream;
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

    /**
     * JSON lines: one object per socket, formatted as bytes ({@link SocketJsonLine}) into a 1 MiB buffer
     * that goes to standard output's byte stream in one write when full (through the writer, as text,
     * when standard output is not the process's, as in tests).
     */
    private static final class JsonPrinter implements Printer {
        private static final int FLUSH_AT = 1 << 20;
        private final SocketJsonLine lines = new SocketJsonLine(FLUSH_AT + 4096);
        private final PrintWriter out;
        private final OutputStream bytes;

        JsonPrinter(PrintWriter out) {
            this.out = out;
            this.bytes = out instanceof StdoutWriter std ? std.bytes() : null;
            out.flush(); // what the writer holds goes before the bytes written under it
        }

        @Override
        public void print(SocketEntry e, List<ProcessInfo> owners) throws IOException {
            lines.append(e, owners);
            if (lines.length() >= FLUSH_AT) {
                drain();
            }
        }

        private void drain() throws IOException {
            if (bytes == null) {
                out.append(lines.toString());
                lines.clear();
            } else {
                lines.writeTo(bytes);
            }
        }

        @Override
        public void close() throws IOException {
            drain();
            if (bytes != null) {
                bytes.flush();
            }
            out.flush();
        }
    }
}
