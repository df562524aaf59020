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
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code conntrace lookup}: who owns the connection of one packet's 5-tuple. */
@Command(name = "lookup", mixinStandardHelpOptions = true,
        description = "Finds the socket and process(es) of a packet's 5-tuple by exact sock_diag gets, "
            + "and says how: exact socket, listener, remembered UDP direction, IPv4-mapped IPv6 socket. "
            + "Exit status 0 when found, 1 when the connection or its process is not found, 2 on bad input.")
final class LookupCommand implements Callable<Integer> {
    /** Output formats. */
    enum Format { table, json }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PROTO", description = "tcp or udp.")
    String protocol;

    @Parameters(index = "1", paramLabel = "SRC", description = "The packet's source address.")
    String source;

    @Parameters(index = "2", paramLabel = "SPORT", description = "The packet's source port.")
    String sourcePort;

    @Parameters(index = "3", paramLabel = "DST", description = "The packet's destination address.")
    String destination;

    @Parameters(index = "4", paramLabel = "DPORT", description = "The packet's destination port.")
    String destinationPort;

    @Option(names = "--inbound", description = "The packet arrived at this host (default: it was sent by it).")
    boolean inbound;

    @Option(names = "--netns", paramLabel = "NAME", description = "Look in this network namespace (/run/netns name or path).")
    String netns;

    @Option(names = "--thorough", description = "Rescan processes and retry misses (budget 50 ms instead of 1 ms).")
    boolean thorough;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json.")
    Format format;

    @Option(names = "--debug", description = "Stack traces on errors.")
    boolean debug;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        FiveTuple tuple;
        try {
            tuple = tuple();
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
                json(out, tuple, r);
            } else {
                table(out, r);
            }
            out.flush();
            return r.found() ? 0 : 1;
        } catch (IOException | RuntimeException e) {
            out.flush();
            err.println("conntrace lookup: " + e.getMessage());
            if (debug) {
                e.printStackTrace(err);
            }
            err.flush();
            return 1;
        }
    }

    private FiveTuple tuple() {
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
            // a fresh JVM loads and links classes on its first lookup; an untimed one first (with
            // its own UDP memory) keeps that out of the budget, which is meant for the lookup itself
            new SocketLookup(diag.netns(), steps, udpMemory(), new SocketLookup.Config(Duration.ofSeconds(10),
                    Duration.ofSeconds(10), Duration.ZERO, 1)).lookup(tuple, inbound, mode);
            return new SocketLookup(diag.netns(), steps, udpMemory(), SocketLookup.Config.DEFAULT)
                    .lookup(tuple, inbound, mode);
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

    private static void json(PrintWriter out, FiveTuple t, LookupResult r) throws IOException {
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            g.writeStartObject();
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
        out.println();
    }
}
