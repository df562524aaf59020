package dev.conntrace.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.conntrace.sockets.FiveTuple;
import dev.conntrace.sockets.Protocol;
import dev.conntrace.sockets.SocketEntry;
import dev.conntrace.sockets.diag.LookupOutcome;
import dev.conntrace.sockets.diag.LookupResult;
import dev.conntrace.sockets.diag.LookupSteps;
import dev.conntrace.sockets.diag.SockDiag;
import dev.conntrace.sockets.diag.SocketLookup;
import dev.conntrace.sockets.direction.UdpDirectionMemory;
import dev.conntrace.sockets.process.ProcessDetails;
import dev.conntrace.sockets.process.ProcessIndex;
import dev.conntrace.sockets.process.ProcessInfo;
import dev.conntrace.sys.IpAddress;
import dev.conntrace.sys.NetNamespace;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code conntrace lookup}: who owns the connection of one packet's 5-tuple, or of each tuple read
 * from standard input ({@code -} or {@code --stdin}, see {@link LookupBatch}).
 */
@Command(name = "lookup", mixinStandardHelpOptions = true,
        customSynopsis = {"conntrace lookup [OPTIONS] PROTO SRC SPORT DST DPORT",
            "       conntrace lookup [OPTIONS] - | --stdin"},
        description = "Finds the socket and process(es) of a packet's 5-tuple by exact sock_diag gets, "
            + "and says how: exact socket, listener, remembered UDP direction, IPv4-mapped IPv6 socket. "
            + "Exit status 0 when found, 1 when the connection or its process is not found, 2 on bad input. "
            + "With - (or --stdin) instead of the tuple: one tuple per line of standard input "
            + "(PROTO SRC SPORT DST DPORT [inbound|outbound]), one answer line per tuple, flushed line by line "
            + "unless standard input is a file; a bad line is named on stderr and answered with an error line; "
            + "exit status 0 when every line was answered, 1 when any was bad or failed.")
final class LookupCommand implements Callable<Integer> {
    /** How often a batch brings the process index up to date, at most. */
    private static final long INDEX_REFRESH_NANOS = 1_000_000_000L;

    /** Output formats. */
    enum Format { table, json }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PROTO",
            description = "tcp or udp; or - to read tuples from standard input.")
    String protocol;

    @Parameters(index = "1", arity = "0..1", paramLabel = "SRC", description = "The packet's source address.")
    String source;

    @Parameters(index = "2", arity = "0..1", paramLabel = "SPORT", description = "The packet's source port.")
    String sourcePort;

    @Parameters(index = "3", arity = "0..1", paramLabel = "DST", description = "The packet's destination address.")
    String destination;

    @Parameters(index = "4", arity = "0..1", paramLabel = "DPORT", description = "The packet's destination port.")
    String destinationPort;

    @Option(names = "--stdin", description = "Read one tuple per line from standard input (as -).")
    boolean stdin;

    @Option(names = "--inbound", description = "The packet arrived at this host (default: it was sent by it); "
            + "with --stdin, the direction of lines that do not name one.")
    boolean inbound;

    @Option(names = "--netns", paramLabel = "NAME", description = "Look in this network namespace (/run/netns name or path).")
    String netns;

    @Option(names = "--thorough", description = "Rescan processes and retry misses (budget 50 ms instead of 1 ms).")
    boolean thorough;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json.")
    Format format;

    @Option(names = "--debug", description = "Stack traces on errors.")
    boolean debug;

    /** Standard input, unless a test gives another; {@link #inputIsFile} says whether to flush line by line. */
    InputStream input = System.in;
    /** Whether {@link #input} is a regular file (then answers are not flushed line by line). */
    BooleanSupplier inputIsFile = LookupCommand::stdinIsFile;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean dash = "-".equals(protocol);
        if (stdin || dash) {
            if (source != null || (stdin && protocol != null)) {
                err.println("conntrace lookup: with " + (stdin ? "--stdin" : "-")
                        + " the tuples come from standard input, not from arguments");
                err.flush();
                return 2;
            }
            return batch(out, err);
        }
        FiveTuple tuple;
        try {
            if (destinationPort == null) {
                throw new IllegalArgumentException("needs PROTO SRC SPORT DST DPORT, or - (--stdin) to read tuples"
                        + " from standard input");
            }
            tuple = tuple(protocol, source, sourcePort, destination, destinationPort);
        } catch (IllegalArgumentException e) {
            err.println("conntrace lookup: " + e.getMessage());
            err.flush();
            return 2;
        }
        try {
            LookupResult r;
            if (netns == null) {
                r = lookup(tuple);
            } else {
                try (NetNamespace ns = NetnsOption.open(netns)) {
                    r = ns.call(() -> lookup(tuple));
                }
            }
            if (format == Format.json) {
                json(out, tuple, r, 0);
                out.println();
            } else {
                table(out, r);
            }
            out.flush();
            return r.found() ? 0 : 1;
        } catch (IOException | RuntimeException e) {
            return failed(out, err, e);
        }
    }

    /** Prints {@code conntrace lookup: <why>} (and the stack trace with {@code --debug}); returns exit status 1. */
    private int failed(PrintWriter out, PrintWriter err, Exception e) {
        out.flush();
        err.println("conntrace lookup: " + e.getMessage());
        if (debug) {
            e.printStackTrace(err);
        }
        err.flush();
        return 1;
    }

    /** Every line of standard input, answered in this namespace or {@code --netns}'s. */
    private int batch(PrintWriter out, PrintWriter err) {
        LookupBatch batch = new LookupBatch(new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8)),
                out, err, format == Format.json, !inputIsFile.getAsBoolean(), inbound);
        try {
            LookupBatch.Counts counts;
            if (netns == null) {
                counts = batch(batch);
            } else {
                try (NetNamespace ns = NetnsOption.open(netns)) {
                    counts = ns.call(() -> batch(batch));
                }
            }
            return counts.bad() == 0 ? 0 : 1;
        } catch (IOException | RuntimeException e) {
            return failed(out, err, e);
        }
    }

    /**
     * Runs {@code batch} with one sock_diag client and one lookup (and its cache) for every line. The
     * process index is scanned once, then brought up to date incrementally at most once a second,
     * before a lookup and outside its budget, so a long-running co-process sees new processes.
     */
    private LookupBatch.Counts batch(LookupBatch batch) throws IOException {
        try (SockDiag diag = SockDiag.open()) {
            ProcessIndex index = ProcessIndex.system();
            index.fullScan();
            LookupSteps steps = LookupSteps.kernel(diag, index, ProcessDetails.system());
            SocketLookup.Mode mode = thorough ? SocketLookup.Mode.THOROUGH : SocketLookup.Mode.FAST;
            SocketLookup lookup = new SocketLookup(diag.netns(), steps, udpMemory(), SocketLookup.Config.DEFAULT);
            long[] indexed = {System.nanoTime()};
            boolean[] warm = new boolean[4]; // per protocol and family, whose paths differ
            return batch.run((tuple, in) -> {
                int kind = (tuple.protocol() == Protocol.TCP ? 0 : 2) + (tuple.source().v6() ? 1 : 0);
                if (!warm[kind]) { // as for one tuple: class loading stays out of the first such line's budget
                    warm(steps, diag.netns(), tuple, in, mode);
                    warm[kind] = true;
                }
                if (System.nanoTime() - indexed[0] >= INDEX_REFRESH_NANOS) {
                    index.refresh();
                    indexed[0] = System.nanoTime();
                }
                return lookup.lookup(tuple, in, mode);
            });
        }
    }

    /** The tuple of the five words; a bad one raises {@link IllegalArgumentException} naming it. */
    static FiveTuple tuple(String protocol, String source, String sourcePort, String destination,
            String destinationPort) {
        Protocol p = switch (protocol.toLowerCase(Locale.ROOT)) {
            case "tcp" -> Protocol.TCP;
            case "udp" -> Protocol.UDP;
            default -> throw new IllegalArgumentException("protocol '" + protocol + "' is neither tcp nor udp");
        };
        return new FiveTuple(p, address(source, "SRC"), port(sourcePort, "SPORT"), address(destination, "DST"),
                port(destinationPort, "DPORT"));
    }

    private static IpAddress address(String text, String what) {
        try {
            return IpAddress.parse(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(what + " '" + text + "' is not an IPv4 or IPv6 address");
        }
    }

    private static int port(String text, String what) {
        int p;
        try {
            p = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            p = -1;
        }
        if (p < 0 || p > 0xFFFF) {
            throw new IllegalArgumentException(what + " '" + text + "' is not a port 0..65535");
        }
        return p;
    }

    /** One lookup in the calling thread's namespace, after indexing the processes (not timed). */
    private LookupResult lookup(FiveTuple tuple) throws IOException {
        try (SockDiag diag = SockDiag.open()) {
            ProcessIndex index = ProcessIndex.system();
            index.fullScan();
            LookupSteps steps = LookupSteps.kernel(diag, index, ProcessDetails.system());
            SocketLookup.Mode mode = thorough ? SocketLookup.Mode.THOROUGH : SocketLookup.Mode.FAST;
            warm(steps, diag.netns(), tuple, inbound, mode);
            return new SocketLookup(diag.netns(), steps, udpMemory(), SocketLookup.Config.DEFAULT)
                    .lookup(tuple, inbound, mode);
        }
    }

    /**
     * A fresh JVM loads and links classes on its first lookup; an untimed one first (with its own UDP
     * memory and no cache) keeps that out of the budget, which is meant for the lookup itself.
     */
    private static void warm(LookupSteps steps, long netns, FiveTuple tuple, boolean inbound, SocketLookup.Mode mode)
            throws IOException {
        new SocketLookup(netns, steps, udpMemory(), new SocketLookup.Config(Duration.ofSeconds(10),
                Duration.ofSeconds(10), Duration.ZERO, 1)).lookup(tuple, inbound, mode);
    }

    /** Whether this process's standard input is a regular file (not a pipe, a terminal or a socket). */
    private static boolean stdinIsFile() {
        try {
            return Files.isRegularFile(Path.of("/proc/self/fd/0"));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static UdpDirectionMemory udpMemory() {
        return new UdpDirectionMemory(InstantSource.system(), UdpDirectionMemory.Limits.DEFAULT);
    }

    private static String outcome(LookupOutcome o) {
        return switch (o) {
            case FOUND -> "found";
            case CONNECTION_NOT_FOUND -> "connection not found";
            case PROCESS_NOT_FOUND -> "process not found";
            case BUDGET_EXCEEDED -> "time budget exceeded (try --thorough)";
        };
    }

    private static void table(PrintWriter out, LookupResult r) {
        out.println("result:     " + outcome(r.outcome()));
        out.println("found by:   " + r.attribution().name().toLowerCase(Locale.ROOT).replace('_', ' '));
        out.println("direction:  " + (r.inbound() ? "inbound" : "outbound"));
        SocketEntry s = r.socket();
        if (s != null) {
            out.println("socket:     " + s.protocol().label() + " " + s.state().name() + " "
                    + endpoint(s.localAddress(), s.localPort()) + " " + endpoint(s.remoteAddress(), s.remotePort())
                    + " inode " + s.inode());
        }
        for (ProcessInfo p : r.processes()) {
            out.println("process:    " + p.comm() + "/" + p.pid() + " user " + p.user() + " " + p.cmdline());
        }
    }

    private static String endpoint(IpAddress a, int port) {
        return a.v6() ? "[" + a + "]:" + port : a + ":" + port;
    }

    /**
     * The answer as one JSON object, without a line end, not flushed; {@code line} (the input line
     * of a batch) is given first when positive.
     */
    static void json(PrintWriter out, FiveTuple t, LookupResult r, long line) throws IOException {
        try (JsonGenerator g = generator(out)) {
            g.writeStartObject();
            if (line > 0) {
                g.writeNumberField("line", line);
            }
            g.writeStringField("proto", t.protocol().label());
            g.writeStringField("result", r.outcome().name().toLowerCase(Locale.ROOT));
            g.writeStringField("attribution", r.attribution().name().toLowerCase(Locale.ROOT));
            g.writeBooleanField("inbound", r.inbound());
            SocketEntry s = r.socket();
            if (s != null) {
                g.writeObjectFieldStart("socket");
                g.writeNumberField("netns", s.netns());
                g.writeStringField("family", s.family().label());
                g.writeStringField("state", s.state().name());
                g.writeStringField("local_ip", s.localAddress().toString());
                g.writeNumberField("local_port", s.localPort());
                g.writeStringField("remote_ip", s.remoteAddress().toString());
                g.writeNumberField("remote_port", s.remotePort());
                g.writeNumberField("inode", s.inode());
                g.writeEndObject();
            }
            g.writeArrayFieldStart("processes");
            for (ProcessInfo p : r.processes()) {
                g.writeStartObject();
                g.writeNumberField("pid", p.pid());
                g.writeStringField("comm", p.comm());
                g.writeStringField("cmdline", p.cmdline());
                g.writeStringField("user", p.user());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    /** A bad batch line as one JSON object, {@code {"line":N,"error":"..."}}, without a line end. */
    static void error(PrintWriter out, long line, String problem) throws IOException {
        try (JsonGenerator g = generator(out)) {
            g.writeStartObject();
            g.writeNumberField("line", line);
            g.writeStringField("error", problem);
            g.writeEndObject();
        }
    }

    private static JsonGenerator generator(PrintWriter out) throws IOException {
        JsonGenerator g = new JsonFactory().createGenerator(out);
        g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
        g.configure(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM, false); // the caller flushes, per line or at the end
        return g;
    }
}
