package dev.conntrace.cli;

import dev.conntrace.packet.BpfProgram;
import dev.conntrace.packet.FilterCompiler;
import dev.conntrace.packet.LinkType;
import dev.conntrace.packet.LiveCapture;
import dev.conntrace.sys.Errno;
import dev.conntrace.sys.SysException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Packet filters: a tcpdump expression compiled by the installed libpcap for the interface's link type
 * (or, without libpcap, by running the installed {@code tcpdump -i IFACE -ddd EXPR}), or a classic BPF
 * program in {@code tcpdump -ddd} form from a file. Live captures run the program in the kernel; files
 * run it here ({@link BpfFilteredSource}).
 */
final class CaptureFilters {
    private static final long BPF_TEXT_LIMIT = 1 << 20;

    private CaptureFilters() {}

    /** As {@link #resolve(String, String, String, int, InputStream)} with the largest snapshot length. */
    static BpfProgram resolve(String expression, String bpfFile, String iface, InputStream stdin) throws IOException {
        return resolve(expression, bpfFile, iface, LiveCapture.Options.MAX_SNAPLEN, stdin);
    }

    /**
     * The kernel filter for a capture on {@code iface} given by {@code --filter EXPR} or
     * {@code --filter-bpf FILE|-} (at most one), or null.
     *
     * @param snaplen what the compiled program keeps of an accepted packet
     * @throws IllegalArgumentException for bad usage, an expression that does not compile, or a program that
     *     does not parse
     * @throws IOException when the file cannot be read, the interface does not exist, or tcpdump fails
     */
    static BpfProgram resolve(String expression, String bpfFile, String iface, int snaplen, InputStream stdin)
            throws IOException {
        if (expression != null && bpfFile != null) {
            throw new IllegalArgumentException("give --filter or --filter-bpf, not both");
        }
        if (bpfFile != null) {
            byte[] text = bpfFile.equals("-") ? stdin.readNBytes((int) BPF_TEXT_LIMIT) : readLimited(Path.of(bpfFile));
            return BpfProgram.parse(new String(text, StandardCharsets.US_ASCII));
        }
        if (expression == null) {
            return null;
        }
        Optional<FilterCompiler> libpcap = FilterCompiler.load();
        if (libpcap.isPresent()) {
            return compile(libpcap.get(), expression, interfaceLinkType(iface), snaplen);
        }
        Path tcpdump = findTcpdump();
        if (tcpdump == null) {
            throw new IllegalArgumentException("--filter needs libpcap (or tcpdump) installed to compile '" + expression
                    + "'; or give a compiled program with --filter-bpf FILE (the output of tcpdump -ddd)");
        }
        return compile(tcpdump, iface, expression);
    }

    /**
     * Compiles {@code expression} with libpcap for {@code linkType}.
     *
     * @throws IllegalArgumentException "cannot compile filter 'EXPR': " and libpcap's message
     */
    static BpfProgram compile(FilterCompiler libpcap, String expression, int linkType, int snaplen) {
        try {
            return libpcap.compile(expression, linkType, snaplen);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot compile filter '" + expression + "': " + e.getMessage(), e);
        }
    }

    private static int interfaceLinkType(String iface) throws IOException {
        int linkType;
        try {
            linkType = LiveCapture.linkTypeOf(iface);
        } catch (SysException e) {
            if (e.is(Errno.ENODEV)) {
                throw new IOException("no such interface: " + iface, e);
            }
            throw e;
        }
        if (linkType > 0xFFFF) {
            throw new IOException("cannot compile a filter for " + iface + ": hardware type " + (linkType & 0xFFFF)
                    + " has no pcap link type here");
        }
        return linkType;
    }

    /**
     * The compiler for filtering a file's packets with {@code expression} ({@link BpfFilteredSource}), or empty
     * when libpcap is not installed. The expression is compiled for Ethernet at once, so a syntax error is
     * reported before any packet is read.
     *
     * @throws IllegalArgumentException "cannot compile filter 'EXPR': " and libpcap's message
     */
    static Optional<FilterCompiler> fileFilterCompiler(String expression) {
        Optional<FilterCompiler> libpcap = FilterCompiler.load();
        libpcap.ifPresent(c -> compile(c, expression, LinkType.ETHERNET, LiveCapture.Options.MAX_SNAPLEN));
        return libpcap;
    }

    private static byte[] readLimited(Path p) throws IOException {
        if (Files.size(p) > BPF_TEXT_LIMIT) {
            throw new IllegalArgumentException(p + " is too large for a BPF program");
        }
        return Files.readAllBytes(p);
    }

    private static Path findTcpdump() {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin"));
        for (String d : dirs) {
            if (d.isEmpty()) {
                continue;
            }
            Path p = Path.of(d, "tcpdump");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Runs {@code tcpdump -i IFACE -ddd EXPR} and parses its output. */
    static BpfProgram compile(Path tcpdump, String iface, String expression) throws IOException {
        Process p = new ProcessBuilder(tcpdump.toString(), "-i", iface, "-ddd", expression)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        try {
            byte[] out = p.getInputStream().readNBytes((int) BPF_TEXT_LIMIT);
            byte[] err = p.getErrorStream().readNBytes(1 << 16);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                throw new IOException("tcpdump did not finish compiling the filter in 10 s");
            }
            if (p.exitValue() != 0) {
                String why = new String(err, StandardCharsets.UTF_8).strip().lines().reduce((a, b) -> b).orElse("");
                throw new IllegalArgumentException("tcpdump could not compile '" + expression + "': " + why);
            }
            return BpfProgram.parse(new String(out, StandardCharsets.US_ASCII));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while compiling the filter", e);
        } finally {
            p.destroyForcibly();
        }
    }
}
