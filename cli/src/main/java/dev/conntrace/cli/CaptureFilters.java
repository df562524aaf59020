package dev.conntrace.cli;

import dev.conntrace.packet.BpfProgram;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Kernel filters for live captures: a classic BPF program in {@code tcpdump -ddd} form from a file, or
 * a tcpdump expression compiled by running the installed {@code tcpdump -i IFACE -ddd EXPR} (this
 * version does not call libpcap itself).
 */
final class CaptureFilters {
    private static final long BPF_TEXT_LIMIT = 1 << 20;

    private CaptureFilters() {}

    /**
     * The filter given by {@code --filter EXPR} or {@code --filter-bpf FILE|-} (at most one), or null.
     *
     * @throws IllegalArgumentException for bad usage or a program that does not parse
     * @throws IOException when the file cannot be read or tcpdump fails
     */
    static BpfProgram resolve(String expression, String bpfFile, String iface, InputStream stdin) throws IOException {
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
        Path tcpdump = findTcpdump();
        if (tcpdump == null) {
            throw new IllegalArgumentException("--filter needs tcpdump installed to compile '" + expression
                    + "'; or give a compiled program with --filter-bpf FILE (the output of tcpdump -ddd)");
        }
        return compile(tcpdump, iface, expression);
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
