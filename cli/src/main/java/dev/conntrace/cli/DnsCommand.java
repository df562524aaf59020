package dev.conntrace.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import dev.conntrace.packet.BpfProgram;
import dev.conntrace.packet.CaptureFile;
import dev.conntrace.packet.FilterCompiler;
import dev.conntrace.packet.IpDefragmenter;
import dev.conntrace.packet.LinkType;
import dev.conntrace.packet.LiveCapture;
import dev.conntrace.packet.DecodedPacket;
import dev.conntrace.packet.PacketDecoder;
import dev.conntrace.packet.PacketSource;
import dev.conntrace.packet.dns.DnsQuestion;
import dev.conntrace.packet.dns.DnsRcode;
import dev.conntrace.packet.dns.DnsRecord;
import dev.conntrace.packet.dns.DnsTransaction;
import dev.conntrace.packet.dns.DnsTransactionTracker;
import dev.conntrace.packet.dns.DnsType;
import dev.conntrace.packet.dns.DnsWireReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import dev.conntrace.packet.Fanout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code conntrace dns FILE | -i IFACE}: DNS transactions (query name and type, answers, rcode,
 * latency) from a capture or a live interface, over UDP and TCP; queries never answered are reported as
 * timeouts once the timeout has passed in capture time, or at the end.
 */
@Command(name = "dns", mixinStandardHelpOptions = true,
        description = {"Shows the DNS transactions of a pcap or pcapng capture or of a live interface.",
            "Queries are matched with responses by client address and port, server address and port and id, over "
                    + "UDP and TCP. One record per transaction when it is answered, or when its query times out "
                    + "(capture time; queries unanswered at the end are timeouts too); responses whose query was not "
                    + "seen are 'unsolicited'. Malformed DNS is counted and skipped. DNS over TCP is followed in "
                    + "sequence order per direction; a lost segment drops the message it was part of."},
        exitCodeOnInvalidInput = 2, exitCodeOnExecutionException = 1)
public final class DnsCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "Capture file (pcap or pcapng); '-' for standard input.")
    String file;

    @Option(names = {"-i", "--interface"}, paramLabel = "IFACE", description = "Capture live on IFACE (needs root or CAP_NET_RAW).")
    String iface;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default) or json (one JSON object per line).")
    String output;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "53", description = "The DNS server port (default 53).")
    int port;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "5",
            description = "A query unanswered this long is a timeout (default 5).")
    long timeoutSeconds;

    @Option(names = {"-c", "--count"}, paramLabel = "COUNT", defaultValue = "0", description = "Live: stop after COUNT packets.")
    long count;

    @Option(names = "--seconds", paramLabel = "SECONDS", defaultValue = "0", description = "Live: stop after SECONDS.")
    long seconds;

    @Option(names = "--filter-bpf", paramLabel = "FILE",
            description = "Live: kernel filter, a classic BPF program as tcpdump -ddd prints it ('-': standard input).")
    String filterBpf;

    @Option(names = "--filter", paramLabel = "EXPR",
            description = "Only packets matching EXPR, in tcpdump syntax (pcap-filter(7)), compiled by the installed "
                    + "libpcap (live without libpcap: by tcpdump); live, the kernel runs it.")
    String filter;

    @Option(names = {"-B", "--buffer-size"}, paramLabel = "KIB", defaultValue = "131072",
            description = "Live: the kernel's ring buffer in KiB (as tcpdump -B; default 131072: 128 MiB, at most 2 GiB).")
    long bufferKib;

    @Mixin
    FanoutOption fanoutOption;

    @Option(names = "--debug", description = "Print stack traces of errors.")
    boolean debug;

    private Fanout fanout;

    private FilterCompiler fileFilter;

    private static final int MAX_PENDING = 65_536;
    private static final int MAX_TCP_STREAMS = 4096;

    private final PrintStream out;
    private final PrintStream err;

    public DnsCommand() {
        this(ReaderGoneExit.stdoutPrintStream(), System.err);
    }

    DnsCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        if ((file == null) == (iface == null)) {
            return usage("give a capture FILE or -i IFACE (one of them)");
        }
        if (!output.equals("table") && !output.equals("json")) {
            return usage("unknown output format '" + output + "' (table or json)");
        }
        if (port < 0 || port > 65535 || timeoutSeconds < 1 || timeoutSeconds > 1_000_000 || count < 0 || seconds < 0) {
            return usage("--port must be 0..65535, --timeout 1..1000000, -c and --seconds not negative");
        }
        if (iface == null && (count != 0 || seconds != 0 || filterBpf != null || fanoutOption.spec != null)) {
            return usage("-c, --seconds, --filter-bpf and --fanout apply to live capture (-i)");
        }
        BpfProgram kernelFilter;
        try {
            fanout = fanoutOption.fanout();
            if (iface != null) {
                kernelFilter = CaptureFilters.resolve(filter, filterBpf, iface, System.in);
            } else {
                kernelFilter = null;
                if (filter != null) {
                    fileFilter = CaptureFilters.fileFilterCompiler(filter).orElse(null);
                    if (fileFilter == null) {
                        return usage("--filter on a file needs libpcap installed");
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        } catch (IOException e) {
            err.println("conntrace dns: " + e.getMessage());
            return 1;
        }
        try {
            if (iface != null) {
                try (LiveSession session = LiveSession.open(iface, kernelFilter, seconds,
                    LiveSession.ring(LiveCapture.Options.defaults(), Math.clamp(bufferKib, 4, 2L << 20) * 1024).withFanout(fanout))) {
                    err.println("conntrace dns: listening on " + iface + (fanout == null ? "" : ", fanout group " + fanout));
                    if (FanoutOption.splitWarning(fanout) != null) {
                        err.println("conntrace dns: " + FanoutOption.splitWarning(fanout));
                    }
                    err.flush();
                    try {
                        run(session.capture(), count, null);
                    } finally {
                        session.printKernelCounts(err, "dns");
                    }
                }
            } else {
                if (!file.equals("-") && !Files.exists(Path.of(file))) {
                    throw new java.nio.file.NoSuchFileException(file);
                }
                Progress progress = Progress.forTerminal(err);
                try (PacketSource source = fileFilter == null ? CaptureFile.open(file)
                        : new BpfFilteredSource(CaptureFile.open(file), fileFilter, filter)) {
                    run(source, 0, progress);
                    String warning = source.truncationWarning();
                    if (warning != null) {
                        err.println("conntrace dns: warning: " + warning);
                    }
                }
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
            String m = cause instanceof java.nio.file.NoSuchFileException ? "no such file: " + cause.getMessage()
                    : cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            err.println("conntrace dns: " + m);
            if (debug) {
                e.printStackTrace(err);
            }
            return 1;
        }
    }

    private int usage(String message) {
        err.println("conntrace dns: " + message);
        return 2;
    }

    private void run(PacketSource source, long maxPackets, Progress progress) throws IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        JsonGenerator json = output.equals("json")
                ? new JsonFactory().createGenerator(w).setPrettyPrinter(new MinimalPrettyPrinter("")) : null;
        boolean live = iface != null;
        if (json == null) {
            w.write(String.format(Locale.ROOT, "%-30s %-5s %-47s %-47s %5s %-11s %-40s %-6s %-9s %10s %s%n", "TIME", "PROTO",
                    "CLIENT", "SERVER", "ID", "OUTCOME", "NAME", "TYPE", "RCODE", "LATENCY_MS", "ANSWERS"));
        }
        DnsTransactionTracker tracker = new DnsTransactionTracker(timeoutSeconds * 1_000_000_000L, MAX_PENDING, t -> {
            try {
                print(t, w, json);
                if (live) {
                    flush(w, json);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        DnsWireReader reader = new DnsWireReader(port, MAX_TCP_STREAMS, tracker::message);
        DecodedPacket p = new DecodedPacket();
        IpDefragmenter defrag = new IpDefragmenter(IpDefragmenter.Limits.defaults());
        DecodedPacket whole = new DecodedPacket();
        long packets = 0;
        long lastExpiry = Long.MIN_VALUE;
        try {
            while ((maxPackets == 0 || packets < maxPackets) && source.next()) {
                packets++;
                if (progress != null && (packets & 0xFFFF) == 0) {
                    progress.packets(packets);
                }
                long ts = source.timestampNanos();
                if (PacketDecoder.decode(source.linkType(), source.data(), source.dataOffset(), source.captureLength(),
                        source.originalLength(), p)) {
                    if (!p.isFragment()) {
                        reader.accept(p, ts);
                    } else if (defrag.offer(p, ts) && PacketDecoder.decode(LinkType.RAW, defrag.datagram(), 0,
                            defrag.datagramLength(), defrag.datagramLength(), whole)) {
                        reader.accept(whole, ts); // a DNS message larger than the path's MTU
                    }
                }
                if (lastExpiry == Long.MIN_VALUE || ts - lastExpiry >= 1_000_000_000L) {
                    lastExpiry = ts;
                    tracker.expire(ts);
                }
            }
            if (progress != null) {
                progress.done();
            }
            tracker.finish();
        } finally {
            flush(w, json);
        }
        if (defrag.fragments() > 0) {
            err.println("conntrace dns: " + defrag.fragments() + " IP fragment" + (defrag.fragments() == 1 ? "" : "s") + ": "
                    + defrag.completed() + " datagram(s) reassembled, " + (defrag.incomplete() + defrag.pendingDatagrams())
                    + " incomplete");
        }
        if (reader.malformed() > 0) {
            err.println("conntrace dns: " + reader.malformed() + " malformed DNS message" + (reader.malformed() == 1 ? "" : "s")
                    + " skipped");
        }
        if (reader.cut() > 0) {
            err.println("conntrace dns: " + reader.cut() + " DNS message(s) cut short by the capture's snapshot length");
        }
        if (reader.tcpGaps() > 0) {
            err.println("conntrace dns: " + reader.tcpGaps() + " gap(s) in DNS over TCP dropped partial messages");
        }
        if (tracker.evicted() + reader.evictedStreams() > 0) {
            err.println("conntrace dns: limits reached: " + tracker.evicted() + " pending queries reported early, "
                    + reader.evictedStreams() + " TCP streams dropped");
        }
    }

    private static void flush(Writer w, JsonGenerator json) throws IOException {
        if (json != null) {
            json.flush();
        }
        w.flush();
    }

    private static void print(DnsTransaction t, Writer w, JsonGenerator json) throws IOException {
        DnsQuestion q = t.question();
        long time = t.queryNanos() >= 0 ? t.queryNanos() : t.responseNanos();
        String rcode = t.response() == null ? "-" : DnsRcode.name(t.rcode());
        if (json != null) {
            json.writeStartObject();
            json.writeStringField("time", StreamsCommand.time(time));
            json.writeStringField("proto", t.transport().label());
            json.writeStringField("client", t.client().toString());
            json.writeNumberField("cport", t.clientPort());
            json.writeStringField("server", t.server().toString());
            json.writeNumberField("sport", t.serverPort());
            json.writeNumberField("id", t.id());
            json.writeStringField("outcome", t.outcome().label());
            json.writeStringField("name", q == null ? null : q.name());
            json.writeStringField("type", q == null ? null : DnsType.name(q.type()));
            if (t.response() != null) {
                json.writeStringField("rcode", rcode);
            }
            if (t.latencyNanos() >= 0) {
                json.writeNumberField("latency_ns", t.latencyNanos());
            }
            if (t.response() != null) {
                json.writeArrayFieldStart("answers");
                for (DnsRecord r : t.response().answers()) {
                    json.writeStartObject();
                    json.writeStringField("name", r.name());
                    json.writeStringField("type", DnsType.name(r.type()));
                    json.writeNumberField("ttl", r.ttl());
                    json.writeStringField("data", r.data().toString());
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
            json.writeEndObject();
            json.writeRaw('\n');
            return;
        }
        StringJoiner answers = new StringJoiner(",");
        if (t.response() != null) {
            for (DnsRecord r : t.response().answers()) {
                answers.add(r.data().toString());
            }
        }
        w.write(String.format(Locale.ROOT, "%-30s %-5s %-47s %-47s %5d %-11s %-40s %-6s %-9s %10s %s%n",
                StreamsCommand.time(time), t.transport().label(), endpoint(t.client().toString(), t.clientPort()),
                endpoint(t.server().toString(), t.serverPort()), t.id(), t.outcome().label(), q == null ? "-" : q.name(),
                q == null ? "-" : DnsType.name(q.type()), rcode,
                t.latencyNanos() < 0 ? "-" : String.format(Locale.ROOT, "%.3f", t.latencyNanos() / 1e6),
                answers.length() == 0 ? "-" : answers.toString()));
    }

    private static String endpoint(String address, int port) {
        return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
    }
}
