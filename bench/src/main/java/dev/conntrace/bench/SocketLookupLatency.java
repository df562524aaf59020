package dev.conntrace.bench;

import dev.conntrace.sockets.AddressFamily;
import dev.conntrace.sockets.FiveTuple;
import dev.conntrace.sockets.Protocol;
import dev.conntrace.sockets.SocketEntry;
import dev.conntrace.sockets.SocketState;
import dev.conntrace.sockets.diag.LookupResult;
import dev.conntrace.sockets.diag.LookupSteps;
import dev.conntrace.sockets.diag.SockDiag;
import dev.conntrace.sockets.diag.SocketLookup;
import dev.conntrace.sockets.direction.UdpDirectionMemory;
import dev.conntrace.sockets.process.ProcessDetails;
import dev.conntrace.sockets.process.ProcessIndex;
import dev.conntrace.sockets.process.ProcessInfo;
import dev.conntrace.sys.IpAddress;
import dev.conntrace.sys.NetNamespace;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Per-call latency of {@link SocketLookup} in a namespace full of established TCP connections (made
 * by {@code bench/scripts/lookup-latency.sh}, which runs this): each call is timed with
 * {@link System#nanoTime()}, the times are sorted and their percentiles printed.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar dev.conntrace.bench.SocketLookupLatency \
 *     --netns NAME [--samples N] [--warmup N] [--repeats N] [--seed S] [--comm NAME] [--server-port P]
 * </pre>
 *
 * <p>The process index is built once (a full scan) before any timing, so every inode looked up is
 * already indexed. Measured, each on its own: uncached lookups of distinct established tuples
 * ({@code --samples}, each socket at most once per mode, in FAST and then THOROUGH mode, through a
 * lookup without a result cache), and repeated lookups of tuples already answered (a lookup with the
 * default cache). Every answer is checked: found, the socket asked for, held by a process whose
 * command is the holder's ({@code --comm}, default {@code sock-hold}); a wrong answer is counted.
 * A call over its mode's budget (by its own clock) or answered {@code BUDGET_EXCEEDED} is counted,
 * and of those the calls whose own thread CPU time was over it too (the others were descheduled or
 * paused, not slow); each series gives the heap bytes its thread allocated per call. Memory: the tuples sampled and one long per timed call.
 */
public final class SocketLookupLatency {
    private SocketLookupLatency() {}

    /** One timed series. */
    private record Series(String name, long[] nanos, long overBudget, long overBudgetCpu, long budgetOutcomes, long wrong,
            long gcs, long bytesPerCall) {}

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Heap bytes this thread allocated so far; -1 when the JVM does not say. */
    private static long allocatedBytes() {
        return THREADS instanceof com.sun.management.ThreadMXBean t ? t.getCurrentThreadAllocatedBytes() : -1;
    }

    /** Collections so far, all collectors. */
    private static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    public static void main(String[] args) throws Exception {
        String netns = null;
        int samples = 20_000;
        int warmup = 20_000;
        int repeats = 200_000;
        long seed = 1;
        String comm = "sock-hold";
        int serverPort = 7000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--netns" -> netns = args[++i];
                case "--samples" -> samples = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--comm" -> comm = args[++i];
                case "--server-port" -> serverPort = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (netns == null) {
            throw new IllegalArgumentException("--netns NAME is required");
        }
        try (NetNamespace ns = NetNamespace.named(netns); SockDiag diag = SockDiag.open(ns)) {
            List<SocketEntry> established = new ArrayList<>();
            diag.dump(Protocol.TCP, AddressFamily.INET, SockDiag.stateMask(Set.of(SocketState.ESTABLISHED)),
                    established::add);
            long t0 = System.nanoTime();
            ProcessIndex index = ProcessIndex.system();
            index.fullScan();
            long scanMs = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("%d established TCP sockets in %s; index: %d processes, %d socket inodes (full scan %d ms)%n",
                    established.size(), netns, index.processCount(), index.inodeCount(), scanMs);
            Collections.shuffle(established, new Random(seed));
            int n = Math.min(samples, established.size() / 2);
            int w = Math.min(warmup, established.size() - n);
            List<SocketEntry> measured = established.subList(0, n);
            List<SocketEntry> warm = established.subList(n, n + w);

            ProcessDetails details = ProcessDetails.system();
            LookupSteps steps = LookupSteps.kernel(diag, index, details);
            SocketLookup.Config defaults = SocketLookup.Config.DEFAULT;
            SocketLookup uncached = new SocketLookup(diag.netns(), steps, udp(),
                    new SocketLookup.Config(defaults.fast(), defaults.thorough(), Duration.ZERO, defaults.cacheSize(),
                            defaults.listenerTtl()));
            SocketLookup cached = new SocketLookup(diag.netns(), steps, udp(), defaults);
            long fast = defaults.fast().toNanos();
            long thorough = defaults.thorough().toNanos();

            // warm-up: the JIT compiles the lookup path on tuples that are not measured afterwards
            for (int round = 0; round < 3; round++) {
                run("warm-up", uncached, warm, SocketLookup.Mode.FAST, fast, comm);
                run("warm-up", uncached, warm, SocketLookup.Mode.THOROUGH, thorough, comm);
            }
            List<Series> all = new ArrayList<>();
            all.add(run("uncached FAST", uncached, measured, SocketLookup.Mode.FAST, fast, comm));
            all.add(run("uncached THOROUGH", uncached, measured, SocketLookup.Mode.THOROUGH, thorough, comm));
            // the two ends apart: an accepted end's listener answer is cached (one server port), a
            // connecting end's ephemeral port is asked about once per connection
            int server = serverPort;
            List<SocketEntry> accepted = measured.stream().filter(e -> e.localPort() == server).toList();
            List<SocketEntry> connecting = measured.stream().filter(e -> e.localPort() != server).toList();
            all.add(run("uncached FAST, accepted", uncached, accepted, SocketLookup.Mode.FAST, fast, comm));
            all.add(run("uncached FAST, connecting", uncached, connecting, SocketLookup.Mode.FAST, fast, comm));
            all.addAll(breakdown(diag, index, details, measured));
            all.add(repeated("repeated FAST (1 tuple)", cached, measured.subList(0, 1), repeats, fast, comm));
            all.add(repeated("repeated FAST (1000 tuples)", cached, measured.subList(0, Math.min(1000, n)), repeats,
                    fast, comm));
            System.out.printf("%-28s %8s %9s %9s %9s %9s %9s %6s %6s %6s %6s %5s %7s%n", "series", "calls", "p50 us",
                    "p90 us", "p99 us", "p99.9 us", "max us", "over", "overCPU", "BUDGET", "wrong", "GCs", "B/call");
            for (Series s : all) {
                long[] t = s.nanos();
                Arrays.sort(t);
                System.out.printf("%-28s %8d %9.2f %9.2f %9.2f %9.2f %9.2f %6d %6d %6d %6d %5d %7d%n", s.name(),
                        t.length, us(pct(t, 0.50)), us(pct(t, 0.90)), us(pct(t, 0.99)), us(pct(t, 0.999)),
                        us(t[t.length - 1]), s.overBudget(), s.overBudgetCpu(), s.budgetOutcomes(), s.wrong(), s.gcs(),
                        s.bytesPerCall());
            }
            System.out.println("over: calls longer than their budget by the wall clock; overCPU: of those, calls whose"
                    + " own CPU time (thread CPU clock) exceeded the budget; BUDGET: answered BUDGET_EXCEEDED;"
                    + " B/call: heap bytes the thread allocated per call (lookup and answer check)");
            System.out.printf("cache hits %d; budget-exceeded lookups (both lookups) %d; load average %s%n",
                    cached.cacheHits(), uncached.budgetExceeded() + cached.budgetExceeded(), loadAverage());
        }
    }

    /** The steps of a lookup, each timed alone over the same sockets (answers checked by the lookups). */
    private static List<Series> breakdown(SockDiag diag, ProcessIndex index, ProcessDetails details,
            List<SocketEntry> sockets) throws IOException {
        int n = sockets.size();
        long[] get = new long[n];
        long[] listener = new long[n];
        long[] pids = new long[n];
        long[] process = new long[n];
        IpAddress any = IpAddress.ipv4(0);
        for (int i = 0; i < n; i++) {
            SocketEntry e = sockets.get(i);
            long a = System.nanoTime();
            diag.get(Protocol.TCP, AddressFamily.INET, e.localAddress(), e.localPort(), e.remoteAddress(),
                    e.remotePort());
            long b = System.nanoTime();
            diag.get(Protocol.TCP, AddressFamily.INET, e.localAddress(), e.localPort(), any, 0);
            long c = System.nanoTime();
            int[] holders = index.pidsOf(e.inode());
            long d = System.nanoTime();
            details.get(holders[0]);
            long f = System.nanoTime();
            get[i] = b - a;
            listener[i] = c - b;
            pids[i] = d - c;
            process[i] = f - d;
        }
        return List.of(new Series("  step: exact get", get, -1, -1, -1, -1, -1, -1),
                new Series("  step: listener get", listener, -1, -1, -1, -1, -1, -1),
                new Series("  step: index pidsOf", pids, -1, -1, -1, -1, -1, -1),
                new Series("  step: ProcessDetails.get", process, -1, -1, -1, -1, -1, -1));
    }

    private static UdpDirectionMemory udp() {
        return new UdpDirectionMemory(InstantSource.system(), UdpDirectionMemory.Limits.DEFAULT);
    }

    /** Each socket once, as a packet it sends (outbound). */
    private static Series run(String name, SocketLookup lookup, List<SocketEntry> sockets, SocketLookup.Mode mode,
            long budget, String comm) throws IOException {
        long[] nanos = new long[sockets.size()];
        FiveTuple[] tuples = new FiveTuple[nanos.length]; // made before: B/call is the lookup's
        for (int i = 0; i < tuples.length; i++) {
            tuples[i] = tuple(sockets.get(i));
        }
        long over = 0;
        long overCpu = 0;
        long budgetOutcomes = 0;
        long wrong = 0;
        long gcs = gcCount();
        long bytes = allocatedBytes();
        for (int i = 0; i < nanos.length; i++) {
            SocketEntry e = sockets.get(i);
            long cpu = THREADS.getCurrentThreadCpuTime(); // outside the timed span
            long start = System.nanoTime();
            LookupResult r = lookup.lookup(tuples[i], false, mode);
            long took = System.nanoTime() - start;
            cpu = THREADS.getCurrentThreadCpuTime() - cpu;
            nanos[i] = took;
            if (took > budget) {
                over++;
                if (cpu > budget) {
                    overCpu++;
                }
            }
            if (r.outcome() == dev.conntrace.sockets.diag.LookupOutcome.BUDGET_EXCEEDED) {
                budgetOutcomes++;
            } else if (!right(r, e, comm)) {
                wrong++;
            }
        }
        return new Series(name, nanos, over, overCpu, budgetOutcomes, wrong, gcCount() - gcs,
                perCall(bytes, nanos.length));
    }

    /** {@code calls} lookups cycling over {@code sockets}, each answered once before the timing. */
    private static Series repeated(String name, SocketLookup lookup, List<SocketEntry> sockets, int calls, long budget,
            String comm) throws IOException {
        FiveTuple[] tuples = new FiveTuple[sockets.size()];
        for (int i = 0; i < tuples.length; i++) {
            tuples[i] = tuple(sockets.get(i));
            lookup.lookup(tuples[i], false, SocketLookup.Mode.FAST);
        }
        long[] nanos = new long[calls];
        long over = 0;
        long overCpu = 0;
        long budgetOutcomes = 0;
        long wrong = 0;
        long gcs = gcCount();
        long bytes = allocatedBytes();
        for (int i = 0; i < calls; i++) {
            int k = i % tuples.length;
            long cpu = THREADS.getCurrentThreadCpuTime(); // outside the timed span
            long start = System.nanoTime();
            LookupResult r = lookup.lookup(tuples[k], false, SocketLookup.Mode.FAST);
            long took = System.nanoTime() - start;
            cpu = THREADS.getCurrentThreadCpuTime() - cpu;
            nanos[i] = took;
            if (took > budget) {
                over++;
                if (cpu > budget) {
                    overCpu++;
                }
            }
            if (r.outcome() == dev.conntrace.sockets.diag.LookupOutcome.BUDGET_EXCEEDED) {
                budgetOutcomes++;
            } else if (!right(r, sockets.get(k), comm)) {
                wrong++;
            }
        }
        return new Series(name, nanos, over, overCpu, budgetOutcomes, wrong, gcCount() - gcs, perCall(bytes, calls));
    }

    /** Bytes allocated since {@code before} per call, rounded; -1 when not measured. */
    private static long perCall(long before, int calls) {
        long after = allocatedBytes();
        return before < 0 || after < 0 || calls == 0 ? -1 : Math.round((after - before) / (double) calls);
    }

    private static FiveTuple tuple(SocketEntry e) {
        return new FiveTuple(Protocol.TCP, e.localAddress(), e.localPort(), e.remoteAddress(), e.remotePort());
    }

    private static boolean right(LookupResult r, SocketEntry e, String comm) {
        if (!r.found() || r.socket() == null || r.socket().inode() != e.inode() || r.processes().isEmpty()) {
            return false;
        }
        List<ProcessInfo> holders = r.processes();
        for (int i = 0; i < holders.size(); i++) { // no iterator: B/call is the lookup's
            if (!holders.get(i).comm().equals(comm)) {
                return false;
            }
        }
        return true;
    }

    private static long pct(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static double us(long nanos) {
        return nanos / 1000.0;
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
