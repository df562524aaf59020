package dev.conntrace.bench;

import dev.conntrace.conntrack.AddressFamily;
import dev.conntrace.conntrack.Conntrack;
import dev.conntrace.conntrack.DumpSummary;
import dev.conntrace.conntrack.Flow;
import dev.conntrace.conntrack.FlowFilter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The library's conntrack dump with every message decoded into a {@link Flow}, for comparison with the
 * raw loops ({@link CtDumpCount}, {@code c/ct-dump-loop.c}) on the same table: each flow is handed to
 * a consumer that reads a few fields and drops it, so nothing is held (back-pressure, not a list).
 *
 * <pre>
 * ip netns exec NS java -Xmx96m -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED \
 *     -cp bench/target/benchmarks.jar dev.conntrace.bench.CtDumpDecode [--dumps K] [--serial]
 * </pre>
 *
 * <p>Default: {@link Conntrack#dump} (IPv4) with {@link Conntrack#receiveAhead receive-ahead} (a second
 * thread receives while this one decodes); {@code --serial}: the default client, decoding inside the
 * receive loop on one thread.
 * Prints one line per dump (flows, milliseconds, ns per flow) and at the end the process's peak
 * resident set ({@code VmHWM}).
 */
public final class CtDumpDecode {
    private CtDumpDecode() {}

    /** Reads fields of every flow so the decode cannot be skipped; holds none. */
    private static final class Sink implements Consumer<Flow> {
        long flows;
        long check;

        @Override
        public void accept(Flow f) {
            flows++;
            check += f.original().sourcePort() + f.reply().destinationPort() + f.timeout()
                    + (f.countersOriginal() == null ? 0 : f.countersOriginal().bytes());
        }
    }

    public static void main(String[] args) throws Exception {
        int dumps = 5;
        boolean serial = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--dumps" -> dumps = Integer.parseInt(args[++i]);
                case "--serial" -> serial = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        long check = 0;
        String mode = serial ? "serial" : "receive-ahead";
        try (Conntrack ct = Conntrack.open().receiveAhead(!serial)) {
            for (int i = 1; i <= dumps; i++) {
                Sink sink = new Sink();
                long t0 = System.nanoTime();
                DumpSummary s = ct.dump(FlowFilter.of(AddressFamily.IPV4), sink);
                if (s.delivered() != sink.flows) {
                    throw new IllegalStateException("summary says " + s.delivered() + ", consumer saw " + sink.flows);
                }
                check += report(i, sink, System.nanoTime() - t0, mode);
            }
        }
        System.out.printf("peak RSS %s (check %d)%n", peakRss(), check);
    }

    private static long report(int i, Sink sink, long nanos, String mode) {
        System.out.printf("dump %d: %d flows decoded (%s), %.2f ms, %.0f ns/flow%n", i, sink.flows, mode, nanos / 1e6,
                nanos / (double) Math.max(1, sink.flows));
        return sink.check;
    }

    private static String peakRss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return line.substring(6).strip();
            }
        }
        return "unknown";
    }
}
