package dev.conntrace.cli;

import dev.conntrace.conntrack.ConnectionTracker;
import dev.conntrace.conntrack.FlowFilter;
import dev.conntrace.conntrack.TrackedConnection;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code conntrace ct track}: the library's {@link ConnectionTracker} from the command line. Every interval it
 * prints each connection active now and each one that ended since the previous print, including those that
 * opened and closed in between (which a listing misses and an event stream shows only as two events).
 */
@Command(name = "track", mixinStandardHelpOptions = true,
        description = {"Print, every interval, the TCP and UDP connections active now and those that ended since the "
                + "previous print, even if they opened and closed in between.",
            "Events are subscribed first, then the table is dumped and the two kept reconciled; after lost events "
                    + "the table is dumped again and what had to be inferred is marked 'reconciled'."})
final class CtTrackCommand implements Callable<Integer> {
    /** The longest wait for the first dump before the first print. */
    private static final long SYNC_SECONDS = 30;

    @Spec
    CommandSpec spec;

    @Mixin
    CtCommand.Where where;

    @Mixin
    CtOptions options;

    @Option(names = {"-i", "--interval"}, paramLabel = "SECONDS", defaultValue = "1",
            description = "Seconds between two prints (decimals allowed, at least 0.01; default 1).")
    BigDecimal interval;

    @Option(names = {"-c", "--count"}, paramLabel = "N", description = "Stop after N prints.")
    long count = Long.MAX_VALUE;

    @Option(names = "--seconds", paramLabel = "S", description = "Stop after S seconds (with a last print).")
    long seconds = Long.MAX_VALUE / 2_000_000_000L;

    @Option(names = "--resync", paramLabel = "SECONDS",
            description = "Dump the table every SECONDS to find connections that ended without an event (the kernel "
                    + "sends none for connections older than the first listener); 0: only after lost events. "
                    + "Default: the interval, at least 1.")
    BigDecimal resync;

    @Option(names = "--updates", description = "Also apply UPDATE events (fresher state and counters, more events).")
    boolean updates;

    @Option(names = {"-o", "--output"}, defaultValue = "table", paramLabel = "FORMAT",
            description = "table (default) or json (one object per line: the flow's fields and \"track\":"
                    + " {\"active\", \"reconciled\", \"first_seen\", \"ended\"}).")
    String output;

    @Override
    public Integer call() {
        long intervalNanos = nanos("--interval", interval, false);
        if (count <= 0 || seconds <= 0) {
            throw new ParameterException(spec.commandLine(), "--count and --seconds must be positive");
        }
        if (!output.equals("table") && !output.equals("json")) {
            throw new ParameterException(spec.commandLine(), "--output: invalid value '" + output + "' (table or json)");
        }
        FlowFilter filter = options.filter(spec.commandLine());
        TrackedPrinter printer = TrackedPrinter.of(output, spec.commandLine().getOut(), new LabelNames(options));
        PrintWriter err = spec.commandLine().getErr();
        Duration resyncEvery = resync != null ? Duration.ofNanos(nanos("--resync", resync, true))
                : Duration.ofNanos(Math.max(intervalNanos, 1_000_000_000L));
        ConnectionTracker.Config config = ConnectionTracker.Config.defaults().withUpdates(updates)
                .withFilter(f -> ConnectionTracker.Config.tcpOrUdp(f) && filter.test(f)).withResyncEvery(resyncEvery);
        try {
            where.run(() -> {
                try (ConnectionTracker tracker = ConnectionTracker.open(config)) {
                    track(tracker, printer, err, intervalNanos);
                }
                return null;
            });
            return 0;
        } catch (IOException | RuntimeException e) {
            return CtCommand.fail(spec, where, e);
        }
    }

    private void track(ConnectionTracker tracker, TrackedPrinter printer, PrintWriter err, long intervalNanos)
            throws IOException {
        long start = System.nanoTime();
        long deadline = start + seconds * 1_000_000_000L;
        try {
            if (!tracker.awaitSynced(Math.min(SYNC_SECONDS, seconds), TimeUnit.SECONDS)) {
                IOException why = tracker.lastError();
                if (why != null) {
                    throw why;
                }
                err.println("conntrace: the table's first dump has not finished yet; printing what events showed");
            }
            long overruns = 0;
            for (long printed = 0; printed < count; printed++) {
                if (printed > 0) {
                    long wake = Math.min(start + printed * intervalNanos, deadline);
                    long wait = wake - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
                List<TrackedConnection> now = tracker.connections();
                printer.print(now);
                long lost = tracker.overruns();
                if (lost != overruns) {
                    err.println("conntrace: events were lost (" + lost + " times so far); the table was dumped again"
                            + " and inferred changes are marked reconciled");
                    err.flush();
                    overruns = lost;
                }
                if (System.nanoTime() - deadline >= 0) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        } finally {
            printer.end();
        }
    }

    /** Seconds as nanoseconds: 0.01 to 86400 (or 0 when {@code zero} allows it). */
    private long nanos(String option, BigDecimal seconds, boolean zero) {
        BigDecimal nanos = seconds.movePointRight(9);
        boolean ok = (zero && seconds.signum() == 0) || (seconds.compareTo(new BigDecimal("0.01")) >= 0
                && nanos.compareTo(BigDecimal.valueOf(86_400_000_000_000L)) <= 0);
        if (!ok) {
            throw new ParameterException(spec.commandLine(), option + ": invalid value '" + seconds.toPlainString()
                    + "' (" + (zero ? "0 or " : "") + "0.01 to 86400 seconds)");
        }
        return nanos.longValue();
    }
}
