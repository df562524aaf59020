package dev.conntrace.sockets.process;

import java.nio.charset.StandardCharsets;

/**
 * The fields of {@code /proc/PID/stat} this package needs (proc(5)): comm (field 2), ppid (4)
 * and starttime (22, clock ticks after boot). The comm may contain spaces and parentheses, so
 * fields are counted from the last ')'.
 *
 * @param comm the thread-group leader's command name
 * @param ppid parent process id
 * @param startTicks start time in clock ticks since boot
 */
record ProcStat(String comm, int ppid, long startTicks) {

    /** Parses stat text in {@code b[0, len)}; null when it is not a stat line. */
    static ProcStat parse(byte[] b, int len) {
        int open = -1;
        int close = -1;
        for (int i = 0; i < len; i++) {
            if (b[i] == '(' && open < 0) {
                open = i;
            } else if (b[i] == ')') {
                close = i;
            }
        }
        if (open < 0 || close < open) {
            return null;
        }
        long ppid = field(b, close + 1, len, 4 - 2);
        long start = field(b, close + 1, len, 22 - 2);
        if (ppid < 0 || ppid > Integer.MAX_VALUE || start < 0) {
            return null;
        }
        return new ProcStat(new String(b, open + 1, close - open - 1, StandardCharsets.UTF_8), (int) ppid, start);
    }

    /** The {@code n}th space-separated token from {@code from} as a non-negative decimal, else -1. */
    private static long field(byte[] b, int from, int len, int n) {
        int i = from;
        for (int token = 1; token <= n; token++) {
            while (i < len && b[i] == ' ') {
                i++;
            }
            int start = i;
            while (i < len && b[i] != ' ' && b[i] != '\n') {
                i++;
            }
            if (i == start) {
                return -1;
            }
            if (token == n) {
                if (i - start > 18) {
                    return -1;
                }
                long v = 0;
                for (int k = start; k < i; k++) {
                    int d = b[k] - '0';
                    if (d < 0 || d > 9) {
                        return -1;
                    }
                    v = v * 10 + d;
                }
                return v;
            }
        }
        return -1;
    }
}
