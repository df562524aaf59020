package dev.conntrace.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** A one-line progress report on a terminal's stderr; absent when output is piped. */
final class Progress {
    private final PrintStream err;
    private final long start = System.nanoTime();
    private long lastPrint = start;
    private boolean printed;

    private Progress(PrintStream err) {
        this.err = err;
    }

    /** A progress line when stdout's console and stderr are terminals, else null. */
    static Progress forTerminal(PrintStream err) {
        java.io.Console c = System.console();
        if (c == null || !c.isTerminal() || !stderrIsTty()) {
            return null;
        }
        return new Progress(err);
    }

    private static boolean stderrIsTty() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            return false;
        }
    }

    void packets(long n) {
        long now = System.nanoTime();
        if (now - lastPrint < 500_000_000L) {
            return;
        }
        lastPrint = now;
        printed = true;
        double s = (now - start) / 1e9;
        err.printf(Locale.ROOT, "\r%,d packets, %.1f s", n, s);
        err.flush();
    }

    void done() {
        if (printed) {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
