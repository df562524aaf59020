package dev.conntrace.sockets.proc;

import dev.conntrace.sockets.AddressFamily;
import dev.conntrace.sockets.Protocol;
import dev.conntrace.sockets.SocketEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Streams the rows of {@code /proc/net/{tcp,tcp6,udp,udp6}} (or {@code /proc/PID/net/...}, which
 * shows the namespace of PID) to a consumer. Malformed rows are counted and skipped, never fatal.
 *
 * <p>Memory is bounded: one read buffer and one line buffer of {@link #MAX_LINE} bytes; a longer
 * line counts as malformed. Not thread-safe; use one reader per thread.
 */
public final class ProcNetReader {
    /** Longest accepted row in bytes; kernel rows are under 200. */
    public static final int MAX_LINE = 1024;

    private final ProcNetParser parser;
    private final byte[] buf = new byte[64 * 1024];
    private final byte[] line = new byte[MAX_LINE];

    /** A reader for this machine's byte order. */
    public ProcNetReader() {
        this(new ProcNetParser());
    }

    /** A reader using {@code parser}. */
    public ProcNetReader(ProcNetParser parser) {
        this.parser = parser;
    }

    /** The file name under {@code net/} for a protocol and family: tcp, tcp6, udp, udp6. */
    public static String fileName(Protocol protocol, AddressFamily family) {
        return protocol.label() + (family == AddressFamily.INET6 ? "6" : "");
    }

    /**
     * Reads every selected table under {@code netDir} (e.g. {@code /proc/net} or
     * {@code /proc/1234/net}). A table that does not exist (IPv6 disabled) is skipped.
     */
    public ProcNetStats readAll(Path netDir, long netns, Set<Protocol> protocols, Set<AddressFamily> families,
            Consumer<? super SocketEntry> sink) throws IOException {
        ProcNetStats total = ProcNetStats.EMPTY;
        for (Protocol p : Protocol.values()) {
            for (AddressFamily f : AddressFamily.values()) {
                if (protocols.contains(p) && families.contains(f)) {
                    try {
                        total = total.plus(read(netDir.resolve(fileName(p, f)), netns, p, f, sink));
                    } catch (NoSuchFileException absent) {
                        // table absent: protocol or family not available in this kernel
                    }
                }
            }
        }
        return total;
    }

    /** Reads one table file. */
    public ProcNetStats read(Path file, long netns, Protocol protocol, AddressFamily family,
            Consumer<? super SocketEntry> sink) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, netns, protocol, family, sink);
        }
    }

    /** Reads a table from a stream; the first line is the column header and is skipped. */
    public ProcNetStats read(InputStream in, long netns, Protocol protocol, AddressFamily family,
            Consumer<? super SocketEntry> sink) throws IOException {
        long rows = 0;
        long malformed = 0;
        String firstError = null;
        long lineNo = 0;
        int len = 0;
        boolean overlong = false;
        int n;
        while (true) {
            n = in.read(buf);
            boolean eof = n < 0;
            int limit = eof ? 0 : n;
            for (int i = 0; i <= limit; i++) {
                boolean endOfLine = i < limit ? buf[i] == '\n' : eof && (len > 0 || overlong);
                if (!endOfLine) {
                    if (i < limit) {
                        if (len < MAX_LINE) {
                            line[len++] = buf[i];
                        } else {
                            overlong = true;
                        }
                    }
                    continue;
                }
                lineNo++;
                if (lineNo > 1 && !(len == 0 && !overlong)) {
                    SocketEntry e = overlong ? null : parser.parse(line, 0, len, netns, protocol, family);
                    if (e == null) {
                        malformed++;
                        if (firstError == null) {
                            firstError = "line " + lineNo + ": " + (overlong ? "longer than " + MAX_LINE + " bytes"
                                    : parser.lastError());
                        }
                    } else {
                        rows++;
                        sink.accept(e);
                    }
                }
                len = 0;
                overlong = false;
            }
            if (eof) {
                return new ProcNetStats(rows, malformed, firstError);
            }
        }
    }
}
