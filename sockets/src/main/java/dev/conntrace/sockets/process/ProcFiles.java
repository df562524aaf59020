package dev.conntrace.sockets.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Bounded reads of small /proc files. */
final class ProcFiles {
    private ProcFiles() {}

    /** Reads at most {@code buf.length} bytes of {@code file} into {@code buf}; returns the count. */
    static int read(Path file, byte[] buf) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            int n = 0;
            while (n < buf.length) {
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
            return n;
        }
    }

    /** True when {@code s} is a non-empty string of ASCII digits no longer than 9 (a pid). */
    static boolean isPid(String s) {
        int n = s.length();
        if (n == 0 || n > 9) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** The N of {@code prefix + "N]"} (e.g. {@code socket:[123]}), or -1. No regex: hot path. */
    static long bracketNumber(String s, String prefix) {
        int n = s.length();
        int p = prefix.length();
        if (n < p + 2 || s.charAt(n - 1) != ']' || !s.startsWith(prefix)) {
            return -1;
        }
        if (n - 1 - p > 19) {
            return -1;
        }
        long v = 0;
        for (int i = p; i < n - 1; i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v < 0 ? -1 : v;
    }
}
