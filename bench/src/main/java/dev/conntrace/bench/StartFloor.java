package dev.conntrace.bench;

import dev.conntrace.conntrack.Conntrack;
import java.security.MessageDigest;
import java.util.Random;

/**
 * What a whole-process figure cannot go below on this machine, measured with the same JVM and options as the
 * {@code ./conntrace} launcher:
 *
 * <ul>
 *   <li>{@code hello}: a JVM that prints one line;</li>
 *   <li>{@code count}: a JVM that opens a ctnetlink socket through the library (the FFM calls and netlink
 *       set-up every {@code ct} command pays) and prints the table's count, with no command-line parsing;</li>
 *   <li>{@code sha256 [MB]}: SHA-256 throughput of one core through {@link MessageDigest} in 1448-byte updates
 *       (the JDK's intrinsic), after a warm-up, in GB/s.</li>
 * </ul>
 *
 * <pre>
 * J="java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar"
 * $J -XX:AOTCacheOutput=/tmp/floor.aot dev.conntrace.bench.StartFloor count     # trains an AOT cache once
 * hyperfine -N "$J -XX:AOTCache=/tmp/floor.aot dev.conntrace.bench.StartFloor count" ...
 * java -cp bench/target/benchmarks.jar dev.conntrace.bench.StartFloor sha256 2000
 * </pre>
 */
public final class StartFloor {
    private StartFloor() {}

    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "hello";
        switch (what) {
            case "hello" -> System.out.println("hello");
            case "count" -> {
                try (Conntrack ct = Conntrack.open()) {
                    System.out.println(ct.count().entries());
                }
            }
            case "sha256" -> sha256(args.length > 1 ? Long.parseLong(args[1]) : 2000);
            default -> {
                System.err.println("usage: StartFloor hello|count|sha256 [MB]");
                System.exit(2);
            }
        }
    }

    private static void sha256(long megabytes) throws Exception {
        byte[] segment = new byte[1448];
        new Random(1).nextBytes(segment);
        long total = megabytes * 1_000_000L;
        for (int round = 0; round < 4; round++) { // the first rounds warm up; each is printed
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            long start = System.nanoTime();
            long n = 0;
            while (n < total) {
                md.update(segment, 0, segment.length);
                n += segment.length;
            }
            md.digest();
            System.out.printf("round %d: %.2f GB/s%n", round, n / ((System.nanoTime() - start) / 1e9) / 1e9);
        }
    }
}
