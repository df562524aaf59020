package dev.conntrace.bench;

import dev.conntrace.sockets.AddressFamily;
import dev.conntrace.sockets.Protocol;
import dev.conntrace.sockets.diag.SockDiag;
import dev.conntrace.sockets.process.ProcessDetails;
import dev.conntrace.sockets.process.ProcessIndex;
import dev.conntrace.sockets.process.ProcessInfo;
import dev.conntrace.sys.NetNamespace;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;

/**
 * The full socket table with processes and tcp_info, in-process and warm, as a long-running user
 * (an agent) would refresh it: per round, the process index brought up to date incrementally
 * ({@link ProcessIndex#refresh()}), then every TCP and UDP socket of the namespace dumped with
 * tcp_info and given its owning processes' details (each process read once per round). Run by
 * {@code MAIN=dev.conntrace.bench.SocketTableTime bench/scripts/lookup-latency.sh N PROCS}.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar dev.conntrace.bench.SocketTableTime \
 *     --netns NAME [--rounds N]
 * </pre>
 *
 * Prints each round's times and the medians. Memory: the index and one round's process map.
 */
public final class SocketTableTime {
    private SocketTableTime() {}

    public static void main(String[] args) throws Exception {
        String netns = null;
        int rounds = 15;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--netns" -> netns = args[++i];
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (netns == null) {
            throw new IllegalArgumentException("--netns NAME is required");
        }
        try (NetNamespace ns = NetNamespace.named(netns); SockDiag diag = SockDiag.open(ns)) {
            ProcessIndex index = ProcessIndex.system();
            ProcessDetails details = ProcessDetails.system();
            long t0 = System.nanoTime();
            index.fullScan();
            System.out.printf("first full scan %d ms (%d processes, %d inodes)%n", (System.nanoTime() - t0) / 1_000_000,
                    index.processCount(), index.inodeCount());
            long[] total = new long[rounds];
            long[] refresh = new long[rounds];
            long[] table = new long[rounds];
            long[] cpu = new long[rounds];
            long[] dumpOnly = new long[rounds];
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            for (int r = 0; r < rounds; r++) {
                long d0 = System.nanoTime();
                long[] n = new long[1];
                diag.dumpAll(EnumSet.allOf(Protocol.class), EnumSet.allOf(AddressFamily.class), e -> n[0]++);
                dumpOnly[r] = System.nanoTime() - d0;
                long cpu0 = threads.getCurrentThreadCpuTime();
                long a = System.nanoTime();
                index.refresh();
                long b = System.nanoTime();
                Map<Integer, ProcessInfo> seen = new HashMap<>();
                long[] counts = new long[3]; // sockets, owned, with tcp_info
                diag.dumpAll(EnumSet.allOf(Protocol.class), EnumSet.allOf(AddressFamily.class), e -> {
                    counts[0]++;
                    if (e.tcpInfo() != null) {
                        counts[2]++;
                    }
                    if (e.inode() != 0) {
                        for (int pid : index.pidsOf(e.inode())) {
                            if (seen.computeIfAbsent(pid, details::get) != null) {
                                counts[1]++;
                            }
                        }
                    }
                });
                long c = System.nanoTime();
                cpu[r] = threads.getCurrentThreadCpuTime() - cpu0;
                refresh[r] = b - a;
                table[r] = c - b;
                total[r] = c - a;
                System.out.printf("round %2d: %6.1f ms, CPU %6.1f ms (index refresh %6.1f ms, dump + owners %6.1f ms;"
                        + " a dump alone %6.1f ms); %d sockets, %d owned, %d with tcp_info, %d processes%n", r,
                        ms(total[r]), ms(cpu[r]), ms(refresh[r]), ms(table[r]), ms(dumpOnly[r]), counts[0], counts[1],
                        counts[2], seen.size());
            }
            System.out.printf("median of the last %d rounds: %.1f ms, CPU %.1f ms (index refresh %.1f ms, dump + owners"
                    + " %.1f ms; a dump alone %.1f ms); load average %s%n", rounds - 5, median(total, 5), median(cpu, 5),
                    median(refresh, 5), median(table, 5), median(dumpOnly, 5),
                    java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).strip());
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** Median after the first {@code skip} (warm-up) rounds. */
    private static double median(long[] v, int skip) {
        long[] w = Arrays.copyOfRange(v, Math.min(skip, v.length - 1), v.length);
        Arrays.sort(w);
        return ms(w[w.length / 2]);
    }
}
