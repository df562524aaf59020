package dev.conntrace.cli;

import dev.conntrace.packet.BpfProgram;
import dev.conntrace.packet.LiveCapture;
import dev.conntrace.packet.PcapngWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import dev.conntrace.packet.Fanout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code conntrace capture -i IFACE -w FILE}: writes the packets of one interface to a pcapng file (one
 * interface description with the interface's link type, nanosecond timestamps) until {@code -c},
 * {@code --seconds} or SIGINT/SIGTERM, then prints tcpdump's counts on stderr.
 */
@Command(name = "capture", mixinStandardHelpOptions = true,
        description = {"Captures an interface's packets to a pcapng file (needs root or CAP_NET_RAW).",
            "Stops after -c packets, --seconds, or on SIGINT/SIGTERM; then prints on stderr the packets captured "
                    + "and dropped by the kernel, as tcpdump does."},
        exitCodeOnInvalidInput = 2, exitCodeOnExecutionException = 1)
public final class CaptureCommand implements Callable<Integer> {
    @Option(names = {"-i", "--interface"}, required = true, paramLabel = "IFACE", description = "The interface to capture on.")
    String iface;

    @Option(names = {"-w", "--write"}, required = true, paramLabel = "FILE", description = "The pcapng file to write ('-': standard output).")
    String file;

    @Option(names = {"-c", "--count"}, paramLabel = "COUNT", defaultValue = "0", description = "Stop after COUNT packets.")
    long count;

    @Option(names = "--seconds", paramLabel = "SECONDS", defaultValue = "0", description = "Stop after SECONDS.")
    long seconds;

    @Option(names = {"-s", "--snaplen"}, paramLabel = "SNAPLEN", defaultValue = "262144",
            description = "Keep at most SNAPLEN bytes of each packet (default 262144).")
    int snaplen;

    @Option(names = "--filter", paramLabel = "EXPR",
            description = "Kernel filter in tcpdump syntax (pcap-filter(7)), compiled by the installed libpcap "
                    + "(without libpcap, by running tcpdump -ddd).")
    String filter;

    @Option(names = "--filter-bpf", paramLabel = "FILE",
            description = "Kernel filter: a classic BPF program as tcpdump -ddd prints it ('-': standard input).")
    String filterBpf;

    @Option(names = {"-B", "--buffer-size"}, paramLabel = "KIB", defaultValue = "131072",
            description = "The kernel's ring buffer in KiB (as tcpdump -B; default 131072: 128 MiB, at most 2 GiB).")
    long bufferKib;

    @Option(names = {"-p", "--no-promiscuous-mode"},
            description = "Do not put the interface into promiscuous mode (as tcpdump -p).")
    boolean notPromiscuous;

    @Mixin
    FanoutOption fanoutOption;

    @Option(names = "--debug", description = "Print stack traces of errors.")
    boolean debug;

    private Fanout fanout;

    private final PrintStream out;
    private final PrintStream err;
    private final InputStream in;

    public CaptureCommand() {
        this(ReaderGoneExit.stdoutPrintStream(), System.err, System.in);
    }

    CaptureCommand(PrintStream out, PrintStream err, InputStream in) {
        this.out = out;
        this.err = err;
        this.in = in;
    }

    @Override
    public Integer call() {
        if (count < 0 || seconds < 0) {
            return usage("-c and --seconds must not be negative");
        }
        if (snaplen < 1 || snaplen > 262144) {
            return usage("-s must be between 1 and 262144");
        }
        if (bufferKib < 4 || bufferKib > (2L << 20)) {
            return usage("-B must be between 4 and 2097152 KiB");
        }
        if (file.equals("-") && filterBpf != null && filterBpf.equals("-")) {
            return usage("--filter-bpf - reads standard input; it cannot be combined with -w -");
        }
        BpfProgram program;
        try {
            fanout = fanoutOption.fanout();
            program = CaptureFilters.resolve(filter, filterBpf, iface, snaplen, in);
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        } catch (IOException e) {
            return fail(e);
        }
        PcapngWriter w;
        try { // the file first: a bad path fails before the interface is touched
            w = file.equals("-") ? PcapngWriter.open(out) : PcapngWriter.open(Path.of(file));
        } catch (IOException | RuntimeException e) {
            return fail(e);
        }
        try {
            LiveCapture.Options options = LiveSession.ring(LiveCapture.Options.defaults(), bufferKib * 1024)
                    .withSnaplen(snaplen).withPromiscuous(!notPromiscuous).withFanout(fanout);
            try (LiveSession session = LiveSession.open(iface, program, seconds, options)) {
                try {
                    run(session.capture(), w);
                } finally {
                    w.close(); // before the session lets a pending shutdown end the process
                }
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            return fail(e);
        } finally {
            try {
                w.close(); // idempotent; here when the capture could not start
            } catch (IOException e) {
                err.println("conntrace capture: closing " + file + ": " + e.getMessage());
            }
        }
    }

    private void run(LiveCapture capture, PcapngWriter w) throws IOException {
        long written = 0;
        try {
            int linkType = capture.interfaceLinkType();
            if (linkType > 0xFFFF) {
                throw new IOException(iface + " has hardware type " + (linkType & 0xFFFF) + ", which has no pcap link type here");
            }
            int id = w.writeInterface(linkType, snaplen);
            w.flush();
            err.println("conntrace capture: listening on " + iface + ", link type " + linkType + ", snapshot length "
                    + snaplen + " bytes" + (fanout == null ? "" : ", fanout group " + fanout));
            err.flush();
            try {
                while ((count == 0 || written < count) && capture.next()) {
                    w.writePacket(id, capture.timestampNanos(), capture.data(), capture.dataOffset(),
                            Math.min(capture.captureLength(), snaplen), capture.originalLength());
                    written++;
                }
            } finally {
                w.flush();
            }
        } finally {
            err.println(written + " packet" + (written == 1 ? "" : "s") + " captured");
            err.println(capture.kernelPackets() + " packets received by filter");
            err.println(capture.drops() + " packets dropped by kernel");
            err.flush();
        }
    }

    private int usage(String message) {
        err.println("conntrace capture: " + message);
        return 2;
    }

    private int fail(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof java.nio.file.NoSuchFileException) {
            m = "cannot create " + m + ": no such directory";
        } else if (e instanceof java.nio.file.AccessDeniedException) {
            m = "permission denied: " + m;
        }
        err.println("conntrace capture: " + m);
        if (debug) {
            e.printStackTrace(err);
        }
        return 1;
    }
}
