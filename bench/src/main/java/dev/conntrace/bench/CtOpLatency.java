package dev.conntrace.bench;

import dev.conntrace.conntrack.Conntrack;
import dev.conntrace.conntrack.Flow;
import dev.conntrace.conntrack.Tuple;
import dev.conntrace.sys.IpAddress;
import dev.conntrace.sys.PrivateNamespace;
import java.util.Arrays;
import java.util.Optional;

/**
 * Latency of single conntrack operations through the library on one socket: for each of N distinct
 * UDP flows, a create ({@code IPCTNL_MSG_CT_NEW}, create-exclusive, ACK), a get by original tuple and
 * a delete, each timed alone. Prints mean, p50, p99 and max per operation after a warm-up.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar dev.conntrace.bench.CtOpLatency \
 *     [--ops N] [--warmup W] [--rounds R]
 * </pre>
 *
 * <p>Needs root: runs in a private network namespace (made and deleted here). The flows are built
 * before the clock starts (the request encoding is timed, the caller's model building is not).
 */
public final class CtOpLatency {
    private CtOpLatency() {}

    public static void main(String[] args) throws Exception {
        int ops = 20_000;
        int warmup = 20_000;
        int rounds = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--ops" -> ops = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        int n = ops;
        int w = warmup;
        int r = rounds;
        try (PrivateNamespace ns = PrivateNamespace.create()) {
            ns.exec("sh", "-c", "nft add table inet b && nft add chain inet b out '{ type filter hook output priority 0; }'"
                    + " && nft add rule inet b out ct state new accept");
            ns.run(() -> {
                try (Conntrack ct = Conntrack.open()) {
                    run(ct, w, null);
                    for (int round = 1; round <= r; round++) {
                        long[][] t = new long[3][n];
                        run(ct, n, t);
                        System.out.printf("round %d, %d flows: %s | %s | %s%n", round, n, stats("create", t[0]),
                                stats("get", t[1]), stats("delete", t[2]));
                    }
                }
            });
        }
    }

    /** Creates, gets and deletes {@code n} flows, timing each call into {@code times} when not null. */
    private static void run(Conntrack ct, int n, long[][] times) throws Exception {
        Flow[] flows = new Flow[n];
        IpAddress server = IpAddress.parse("127.3.0.1");
        for (int i = 0; i < n; i++) {
            IpAddress client = IpAddress.ipv4(0x7F02_0000 + i); // 127.2.0.0 + i
            int port = 1024 + (i % 60_000);
            flows[i] = Flow.builder().original(Tuple.udp(client, port, server, 53))
                    .reply(Tuple.udp(server, 53, client, port)).timeout(600).build();
        }
        for (int i = 0; i < n; i++) {
            Tuple t = flows[i].original();
            long t0 = System.nanoTime();
            ct.create(flows[i]);
            long t1 = System.nanoTime();
            Optional<Flow> got = ct.get(t);
            long t2 = System.nanoTime();
            boolean deleted = ct.delete(t, 0, null);
            long t3 = System.nanoTime();
            if (got.isEmpty() || !deleted) {
                throw new IllegalStateException("flow " + i + " got " + got + ", deleted " + deleted);
            }
            if (times != null) {
                times[0][i] = t1 - t0;
                times[1][i] = t2 - t1;
                times[2][i] = t3 - t2;
            }
        }
    }

    private static String stats(String op, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        double mean = Arrays.stream(s).average().orElse(0);
        return String.format("%s mean %.1f µs, p50 %.1f, p99 %.1f, max %.0f", op, mean / 1e3, s[s.length / 2] / 1e3,
                s[(int) (s.length * 0.99)] / 1e3, s[s.length - 1] / 1e3);
    }
}
