package dev.conntrace.bench;

import dev.conntrace.conntrack.ConntrackEvents;
import dev.conntrace.conntrack.EventType;
import dev.conntrace.conntrack.FlowEvent;
import dev.conntrace.conntrack.Overrun;
import dev.conntrace.netlink.NetlinkSocket;
import dev.conntrace.sys.PrivateNamespace;
import java.lang.management.ManagementFactory;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Conntrack event throughput: how many NEW events one reader receives, and at what CPU cost, while
 * a C program creates flows flat out.
 *
 * <pre>
 * gcc -O2 -o /tmp/ct-fill bench/scripts/c/ct-fill.c
 * java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar dev.conntrace.bench.CtEventRate \
 *     --filler /tmp/ct-fill [--flows 100000] [--buffer BYTES] [--rounds 3] [--rate FLOWS_PER_SECOND]
 * </pre>
 *
 * <p>Needs root. Each round makes a private namespace (nft {@code ct state new} rule, input of port
 * 9 dropped), opens a {@link ConntrackEvents} socket for NEW events with a kernel receive queue of
 * {@code --buffer} bytes (default 8 MiB), runs {@code ct-fill N} inside (flat out, or with {@code --rate}
 * paced at that many flows per second: a batch every 10 ms) and reads events on one
 * thread until the filler is done and the socket has been quiet for 300 ms. Prints flows created
 * (the table's count), events received, lost (created minus received), ENOBUFS reports, the kernel's
 * drop count for the socket, and the reader thread's CPU time and allocation per event.
 */
public final class CtEventRate {
    private CtEventRate() {}

    public static void main(String[] args) throws Exception {
        int flows = 100_000;
        int buffer = ConntrackEvents.DEFAULT_RECEIVE_BUFFER;
        int rounds = 3;
        int rate = 0;
        String filler = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--flows" -> flows = Integer.parseInt(args[++i]);
                case "--buffer" -> buffer = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--filler" -> filler = args[++i];
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (filler == null) {
            throw new IllegalArgumentException("--filler PATH (ct-fill built from bench/scripts/c/ct-fill.c) is required");
        }
        for (int r = 1; r <= rounds; r++) {
            round(r, filler, flows, buffer, rate);
        }
    }

    private static void round(int round, String filler, int flows, int buffer, int rate) throws Exception {
        try (PrivateNamespace ns = PrivateNamespace.create()) {
            ns.exec("sh", "-c", "nft add table inet b"
                    + " && nft add chain inet b out '{ type filter hook output priority 0; }'"
                    + " && nft add rule inet b out ct state new accept"
                    + " && nft add chain inet b in '{ type filter hook input priority 0; }'"
                    + " && nft add rule inet b in udp dport 9 drop");
            String result = ns.call(() -> {
                try (ConntrackEvents events = ConntrackEvents.open(EnumSet.of(EventType.NEW), Set.of(),
                        NetlinkSocket.Options.defaults().withSocketReceiveBuffer(buffer))) {
                    return measure(ns, events, filler, flows, rate);
                }
            });
            System.out.printf("round %d, buffer %d B, %s: %s%n", round, buffer,
                    rate > 0 ? "paced at " + rate + " flows/s" : "flat out", result);
        }
    }

    private static String measure(PrivateNamespace ns, ConntrackEvents events, String filler, int flows, int rate)
            throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] received = {0};
        long[] overruns = {0};
        CompletableFuture<String> fill = CompletableFuture.supplyAsync(() -> {
            try {
                return ns.exec(filler, Integer.toString(flows), "9", Integer.toString(rate));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long cpu0 = threads.getCurrentThreadCpuTime();
        long alloc0 = threads.getCurrentThreadAllocatedBytes();
        long t0 = System.nanoTime();
        long lastEvent = t0;
        while (true) {
            int n = events.receive(50, e -> {
                if (e instanceof FlowEvent) {
                    received[0]++;
                } else if (e instanceof Overrun) {
                    overruns[0]++;
                }
            });
            long now = System.nanoTime();
            if (n > 0) {
                lastEvent = now;
            } else if (fill.isDone() && now - lastEvent > 300_000_000L) {
                break;
            }
            if (now - t0 > 120_000_000_000L) {
                break; // bounded: two minutes at most
            }
        }
        long wall = lastEvent - t0;
        long cpu = threads.getCurrentThreadCpuTime() - cpu0;
        long alloc = threads.getCurrentThreadAllocatedBytes() - alloc0;
        String filled = fill.join().strip();
        long created = Long.parseLong(ns.exec("cat", "/proc/sys/net/netfilter/nf_conntrack_count").strip());
        long per = Math.max(1, received[0]);
        return String.format("created %d, received %d, lost %d, ENOBUFS %d, socket drops %d, %.0f ms,"
                        + " %.0f events/s, reader CPU %.0f ns/event, %.0f B allocated/event (filler: %s)",
                created, received[0], created - received[0], overruns[0], events.socketDrops(), wall / 1e6,
                received[0] / (wall / 1e9), cpu / (double) per, alloc / (double) per, filled);
    }
}
