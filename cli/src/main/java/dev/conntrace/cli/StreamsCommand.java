package dev.conntrace.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import dev.conntrace.packet.BpfProgram;
import dev.conntrace.packet.CaptureFile;
import dev.conntrace.packet.FilterCompiler;
import dev.conntrace.packet.LiveCapture;
import dev.conntrace.packet.PacketSource;
import dev.conntrace.reassembly.Assembler;
import dev.conntrace.reassembly.AssemblerConfig;
import dev.conntrace.reassembly.CaptureReassembler;
import dev.conntrace.reassembly.ChecksumAutoDetector;
import dev.conntrace.reassembly.DirectionSummary;
import dev.conntrace.reassembly.StreamFactory;
import dev.conntrace.reassembly.StreamPool;
import dev.conntrace.reassembly.SummarizingStreamFactory;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;
import dev.conntrace.packet.Fanout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code conntrace streams FILE}: reassembles every TCP connection of a capture and prints one record
 * per direction when the connection ends (so records come in order of completion; {@code stream} is the
 * index in order of first packet).
 */
@Command(name = "streams", mixinStandardHelpOptions = true,
        description = {"Reassembles the TCP streams of a pcap or pcapng capture.",
            "Prints one record per direction when its connection ends: stream index (order of first packet), "
                    + "endpoints, dir (c2s = sent by the side that sent the first SYN, else by the sender of the first "
                    + "packet), first/last (ISO-8601 UTC, nanoseconds), bytes, missing, overlap, sha256 of the bytes "
                    + "as written (gaps zero-filled; missing bytes at the very end are not written), end "
                    + "(fin, rst, timeout, eof, reused).",
            "Segments split into IP fragments are put back together first; their counts go to stderr."},
        exitCodeOnInvalidInput = 2, exitCodeOnExecutionException = 1)
public final class StreamsCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "Capture file (pcap or pcapng); '-' for standard input.")
    String file;

    @Option(names = {"-w", "--write"}, paramLabel = "DIR",
            description = "Write each direction to DIR/NNNN-SRC.SPORT-DST.DPORT-DIR (gaps as zero bytes).")
    Path writeDir;

    @Option(names = "--filter", paramLabel = "EXPR",
            description = "Only packets matching EXPR, in tcpdump syntax (pcap-filter(7)), compiled by the installed libpcap; "
                    + "live, the kernel runs it. Without libpcap: live, tcpdump compiles it; files take only 'tcp', "
                    + "'host ADDR', 'port N' joined by 'and'.")
    String filter;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default) or json (one JSON object per line).")
    String output;

    @Option(names = {"-i", "--interface"}, paramLabel = "IFACE",
            description = "Reassemble live from IFACE (needs root or CAP_NET_RAW) until -c, --seconds or SIGINT/SIGTERM.")
    String iface;

    @Option(names = {"-c", "--count"}, paramLabel = "COUNT", defaultValue = "0", description = "Live: stop after COUNT packets.")
    long count;

    @Option(names = "--seconds", paramLabel = "SECONDS", defaultValue = "0", description = "Live: stop after SECONDS.")
    long seconds;

    @Option(names = "--filter-bpf", paramLabel = "FILE",
            description = "Live: kernel filter, a classic BPF program as tcpdump -ddd prints it ('-': standard input).")
    String filterBpf;

    @Option(names = "--checksums", paramLabel = "MODE", defaultValue = "auto",
            description = "auto (default: off when the capture looks taken with checksum offload, and for live capture), on, off.")
    String checksums;

    @Option(names = "--stop-waiting", paramLabel = "SECONDS", defaultValue = "120",
            description = "Give up on a gap after this long (capture time). Default 120.")
    long stopWaitingSeconds;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", defaultValue = "3600",
            description = "End connections idle this long (capture time). Default 3600.")
    long idleSeconds;

    @Option(names = {"-B", "--buffer-size"}, paramLabel = "KIB", defaultValue = "131072",
            description = "Live: the kernel's ring buffer in KiB (as tcpdump -B; default 131072: 128 MiB, at most 2 GiB).")
    long bufferKib;

    @Mixin
    FanoutOption fanoutOption;

    @Option(names = "--debug", description = "Print stack traces of errors.")
    boolean debug;

    private Fanout fanout;

    private BpfProgram kernelFilter;
    private FilterCompiler fileFilter;

    private final PrintStream out;
    private final PrintStream err;

    public StreamsCommand() {
        this(ReaderGoneExit.stdoutPrintStream(), System.err);
    }

    StreamsCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        StreamFilter f;
        CaptureReassembler.Options options;
        try {
            if (iface != null && file != null) {
                return usage("give a capture FILE or -i IFACE, not both");
            }
            if (file == null && iface == null) {
                return usage("missing FILE (a pcap or pcapng capture, or '-' for standard input) or -i IFACE");
            }
            if (count < 0 || seconds < 0) {
                return usage("-c and --seconds must not be negative");
            }
            if (iface == null && (count != 0 || seconds != 0 || filterBpf != null || fanoutOption.spec != null)) {
                return usage("-c, --seconds, --filter-bpf and --fanout apply to live capture (-i)");
            }
            if (!output.equals("table") && !output.equals("json")) {
                return usage("unknown output format '" + output + "' (table or json)");
            }
            if (stopWaitingSeconds <= 0 || idleSeconds <= 0 || stopWaitingSeconds > 1_000_000_000L
                    || idleSeconds > 1_000_000_000L) {
                return usage("--stop-waiting and --idle-timeout must be between 1 and 1000000000 seconds");
            }
            CaptureReassembler.ChecksumMode mode = switch (checksums) {
                // live traffic of this host carries checksums left to offload: auto means off there
                case "auto" -> iface != null ? CaptureReassembler.ChecksumMode.NEVER : CaptureReassembler.ChecksumMode.AUTO;
                case "on" -> CaptureReassembler.ChecksumMode.ALWAYS;
                case "off" -> CaptureReassembler.ChecksumMode.NEVER;
                default -> null;
            };
            if (mode == null) {
                return usage("unknown --checksums mode '" + checksums + "' (auto, on, off)");
            }
            fanout = fanoutOption.fanout();
            if (iface != null) {
                f = null;
                kernelFilter = CaptureFilters.resolve(filter, filterBpf, iface, System.in);
            } else {
                fileFilter = filter == null ? null : CaptureFilters.fileFilterCompiler(filter).orElse(null);
                f = filter == null || fileFilter != null ? null : StreamFilter.parse(filter);
            }
            options = new CaptureReassembler.Options(mode, stopWaitingSeconds * 1_000_000_000L, idleSeconds * 1_000_000_000L,
                    10_000_000_000L);
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        } catch (IOException e) {
            err.println("conntrace streams: " + message(e));
            return 1;
        }
        try {
            run(f, options);
            return 0;
        } catch (IOException | RuntimeException e) {
            Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
            err.println("conntrace streams: " + message(cause));
            if (debug) {
                e.printStackTrace(err);
            }
            return 1;
        }
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        if (t instanceof java.nio.file.NoSuchFileException) {
            return "no such file: " + m;
        }
        if (t instanceof java.nio.file.AccessDeniedException) {
            return "permission denied: " + m;
        }
        return m == null ? t.getClass().getSimpleName() : m;
    }

    private int usage(String message) {
        err.println("conntrace streams: " + message);
        return 2;
    }

    private void run(StreamFilter f, CaptureReassembler.Options options) throws IOException {
        boolean live = iface != null;
        boolean stdin = live || file.equals("-");
        if (!stdin && !Files.exists(Path.of(file))) {
            throw new java.nio.file.NoSuchFileException(file);
        }
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        JsonGenerator json = output.equals("json")
                ? new JsonFactory().createGenerator(w).setPrettyPrinter(new MinimalPrettyPrinter("")) : null;
        FileSinks sinks = writeDir == null ? null : new FileSinks(writeDir);
        if (json == null) {
            w.write(String.format(Locale.ROOT, "%-6s %-39s %5s %-39s %5s %-3s %-30s %-30s %12s %10s %10s %-7s %s%n", "STREAM",
                    "SRC", "SPORT", "DST", "DPORT", "DIR", "FIRST", "LAST", "BYTES", "MISSING", "OVERLAP", "END", "SHA256"));
        }
        // hashing (SHA-256 of every byte) is the largest cost: it gets the other cores, while this thread reads,
        // decodes, checks and reassembles (measured: a separate reader thread cost more CPU than it saved)
        int hashThreads = Math.clamp(Runtime.getRuntime().availableProcessors() - 1, 1, 4);
        SummarizingStreamFactory summaries = new SummarizingStreamFactory(s -> {
            try {
                print(s, w, json, sinks);
                if (live) {
                    if (json != null) {
                        json.flush();
                    }
                    w.flush();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, sinks, hashThreads);
        StreamFactory factory = summaries;
        Assembler assembler = new Assembler(new StreamPool(factory, AssemblerConfig.defaults()));
        ChecksumAutoDetector detector = null;
        if (!stdin && options.checksums() == CaptureReassembler.ChecksumMode.AUTO) {
            try (PacketSource s = CaptureFile.open(file)) {
                detector = CaptureReassembler.sampleChecksums(s, 1000);
            }
        }
        if (live) {
            try (LiveSession session = LiveSession.open(iface, kernelFilter, seconds,
                    LiveSession.ring(LiveCapture.Options.defaults(), Math.clamp(bufferKib, 4, 2L << 20) * 1024).withFanout(fanout))) {
                err.println("conntrace streams: listening on " + iface + (fanout == null ? "" : ", fanout group " + fanout));
                if (FanoutOption.splitWarning(fanout) != null) {
                    err.println("conntrace streams: " + FanoutOption.splitWarning(fanout));
                }
                err.flush();
                try {
                    CaptureReassembler.Result r = CaptureReassembler.run(new LimitedSource(session.capture(), count), assembler,
                            options, null, null, f == null || f.matchesAll() ? null : f::matches);
                    summaries.close();
                    reportFragments(r.fragments());
                } finally {
                    session.printKernelCounts(err, "streams");
                }
            } finally {
                if (json != null) {
                    json.flush();
                }
                w.flush();
                if (sinks != null) {
                    sinks.close();
                }
            }
            return;
        }
        Progress progress = Progress.forTerminal(err);
        try (PacketSource source = fileFilter == null ? CaptureFile.open(file)
                : new BpfFilteredSource(CaptureFile.open(file), fileFilter, filter)) {
            CaptureReassembler.Result r = CaptureReassembler.run(source, assembler, options, detector,
                    progress == null ? null : progress::packets, f == null || f.matchesAll() ? null : f::matches);
            if (progress != null) {
                progress.done();
            }
            if (r.truncatedTail() >= 0) {
                err.println("conntrace streams: warning: " + source.name() + " ends inside a packet record at offset "
                        + r.truncatedTail());
            }
            summaries.close();
            reportFragments(r.fragments());
        } finally {
            if (json != null) {
                json.flush();
            }
            w.flush();
            if (sinks != null) {
                sinks.close();
            }
        }
    }

    /** One stderr line when the input held IP fragments: how many, the datagrams made of them, those given up. */
    private void reportFragments(CaptureReassembler.Fragments f) {
        if (f.fragments() == 0) {
            return;
        }
        err.println("conntrace streams: " + f.fragments() + " IP fragment" + (f.fragments() == 1 ? "" : "s") + ": "
                + f.datagrams() + " datagram(s) reassembled, " + f.incomplete() + " incomplete"
                + (f.overlapBytes() == 0 ? "" : ", " + f.overlapBytes() + " overlapping byte(s) ignored"));
        err.flush();
    }

    private void print(DirectionSummary s, Writer w, JsonGenerator json, FileSinks sinks) throws IOException {
        Path p = sinks == null ? null : sinks.take(s.stream(), s.direction().label());
        if (json != null) {
            json.writeStartObject();
            json.writeNumberField("stream", s.stream());
            json.writeStringField("src", s.src().toString());
            json.writeNumberField("sport", s.srcPort());
            json.writeStringField("dst", s.dst().toString());
            json.writeNumberField("dport", s.dstPort());
            json.writeStringField("dir", s.direction().label());
            json.writeStringField("first", time(s.firstNanos()));
            json.writeStringField("last", time(s.lastNanos()));
            json.writeNumberField("packets", s.packets());
            json.writeNumberField("bytes", s.bytes());
            json.writeNumberField("missing", s.missing());
            json.writeNumberField("overlap", s.overlap());
            json.writeNumberField("late", s.lateBytes());
            json.writeNumberField("bad_checksum", s.badChecksum());
            json.writeStringField("sha256", s.sha256());
            json.writeStringField("end", s.end() == null ? null : s.end().label());
            if (sinks != null) {
                json.writeStringField("file", p == null ? null : p.toString());
            }
            json.writeEndObject();
            json.writeRaw('\n');
        } else {
            w.write(String.format(Locale.ROOT, "%-6d %-39s %5d %-39s %5d %-3s %-30s %-30s %12d %10d %10d %-7s %s%n", s.stream(),
                    s.src(), s.srcPort(), s.dst(), s.dstPort(), s.direction().label(), time(s.firstNanos()),
                    time(s.lastNanos()), s.bytes(), s.missing(), s.overlap(), s.end() == null ? "-" : s.end().label(),
                    s.sha256()));
        }
    }

    static String time(long nanos) {
        return TIME.format(Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)));
    }
}
