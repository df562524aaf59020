package dev.conntrace.cli;

import dev.conntrace.sockets.FiveTuple;
import dev.conntrace.sockets.SocketEntry;
import dev.conntrace.sockets.diag.LookupResult;
import dev.conntrace.sys.IpAddress;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * {@code conntrace lookup -}: one tuple per input line ({@code PROTO SRC SPORT DST DPORT [inbound|outbound]}),
 * one answer line per tuple, in input order. A bad line is named (line number, bad word) on stderr
 * and answered with an error line, so that answers stay in step with questions; the run goes on.
 * Blank lines and lines starting with {@code #} are skipped without an answer. Answers are flushed
 * line by line when asked (stdin is not a file: a co-process waits for each answer).
 *
 * <p>Not thread-safe. Memory: one input line at a time.
 */
final class LookupBatch {
    /** The lookup of one tuple. */
    interface Lookup {
        /** The answer for {@code tuple} seen {@code inbound} or outbound. */
        LookupResult lookup(FiveTuple tuple, boolean inbound) throws IOException;
    }

    /** What a run saw. */
    record Counts(long answered, long bad) {}

    private final BufferedReader in;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;
    private final boolean flushEachLine;
    private final boolean inboundByDefault;

    /**
     * A batch reading {@code in}, answering on {@code out} ({@code json} lines or one-line text) and
     * naming bad lines on {@code err}; {@code inboundByDefault} is the direction of lines without one.
     */
    LookupBatch(BufferedReader in, PrintWriter out, PrintWriter err, boolean json, boolean flushEachLine,
            boolean inboundByDefault) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.json = json;
        this.flushEachLine = flushEachLine;
        this.inboundByDefault = inboundByDefault;
    }

    /** Answers every line until the end of the input. */
    Counts run(Lookup lookup) throws IOException {
        long answered = 0;
        long bad = 0;
        long number = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            number++;
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            String problem;
            try {
                Question q = parse(text);
                LookupResult r = lookup.lookup(q.tuple(), q.inbound());
                if (json) {
                    LookupCommand.json(out, q.tuple(), r, number);
                } else {
                    out.print(answer(r));
                }
                out.print('\n');
                answered++;
                problem = null;
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
            } catch (IOException | RuntimeException e) { // the lookup of this line failed; the next may not
                problem = "lookup failed: " + e.getMessage();
            }
            if (problem != null) {
                bad++;
                error(number, problem);
            }
            if (flushEachLine) {
                out.flush();
            }
        }
        out.flush();
        return new Counts(answered, bad);
    }

    private void error(long number, String problem) throws IOException {
        err.println("conntrace lookup: line " + number + ": " + problem);
        err.flush();
        if (json) {
            LookupCommand.error(out, number, problem);
        } else {
            out.print("error line " + number + ": " + problem);
        }
        out.print('\n');
    }

    /** One line's tuple and direction. */
    private record Question(FiveTuple tuple, boolean inbound) {}

    private Question parse(String text) {
        String[] w = text.split("\\s+");
        if (w.length < 5) {
            throw new IllegalArgumentException("expected PROTO SRC SPORT DST DPORT [inbound|outbound], found "
                    + w.length + (w.length == 1 ? " word" : " words"));
        }
        if (w.length > 6) {
            throw new IllegalArgumentException("unexpected word '" + w[6] + "' after the direction");
        }
        FiveTuple tuple = LookupCommand.tuple(w[0], w[1], w[2], w[3], w[4]);
        boolean inbound = inboundByDefault;
        if (w.length == 6) {
            inbound = switch (w[5].toLowerCase(Locale.ROOT)) {
                case "inbound" -> true;
                case "outbound" -> false;
                default -> throw new IllegalArgumentException("direction '" + w[5] + "' is neither inbound nor outbound");
            };
        }
        return new Question(tuple, inbound);
    }

    /**
     * One answer as one line of eight space-separated columns: result, attribution, direction, socket
     * state, local and remote end, inode ({@code -} for the last four without a socket), and the
     * processes as {@code comm/pid} joined by commas ({@code -} for none), last as a comm may hold spaces.
     */
    static String answer(LookupResult r) {
        StringBuilder b = new StringBuilder(128);
        b.append(r.outcome().name().toLowerCase(Locale.ROOT)).append(' ')
                .append(r.attribution().name().toLowerCase(Locale.ROOT)).append(' ')
                .append(r.inbound() ? "inbound" : "outbound").append(' ');
        SocketEntry s = r.socket();
        if (s == null) {
            b.append("- - - -");
        } else {
            b.append(s.protocol().label()).append('/').append(s.state().name()).append(' ');
            endpoint(b, s.localAddress(), s.localPort()).append(' ');
            endpoint(b, s.remoteAddress(), s.remotePort()).append(' ').append(s.inode());
        }
        b.append(' ');
        if (r.processes().isEmpty()) {
            b.append('-');
        }
        for (int i = 0; i < r.processes().size(); i++) {
            b.append(i == 0 ? "" : ",").append(r.processes().get(i).comm()).append('/').append(r.processes().get(i).pid());
        }
        return b.toString();
    }

    private static StringBuilder endpoint(StringBuilder b, IpAddress a, int port) {
        return a.v6() ? b.append('[').append(a).append("]:").append(port) : b.append(a).append(':').append(port);
    }
}
