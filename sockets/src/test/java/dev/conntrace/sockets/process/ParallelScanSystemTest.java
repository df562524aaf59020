package dev.conntrace.sockets.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.sys.testing.Prerequisites;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** The parallel full scan against this machine's real /proc, with sockets on loopback only. */
class ParallelScanSystemTest {
    private static final int SOCKETS = 2500;
    private static final int SELF = (int) ProcessHandle.current().pid();

    /** A bash child holding loopback connections, left in our listener's accept queue. */
    private static final class SocketHolder implements AutoCloseable {
        final ServerSocketChannel listener;
        final Process bash;
        final int pid;

        SocketHolder(int sockets) throws IOException {
            Prerequisites.requireTool("bash");
            listener = ServerSocketChannel.open();
            try {
                listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), sockets + 100);
                int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
                bash = new ProcessBuilder("bash", "-c", "ulimit -n " + (sockets + 200) + " || exit 1; "
                        + "for ((i = 0; i < " + sockets + "; i++)); do exec {fd}<>/dev/tcp/127.0.0.1/" + port
                        + " || exit 1; done; echo $$; read -r _").redirectErrorStream(true).start();
            } catch (IOException | RuntimeException e) {
                listener.close();
                throw e;
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(bash.getInputStream(),
                    StandardCharsets.US_ASCII));
            String first = lines.readLine(); // bounded: bash exits on the first failure
            if (first == null || !first.matches("[0-9]+")) {
                close();
                throw new IllegalStateException("socket holder failed: " + first);
            }
            pid = Integer.parseInt(first);
        }

        @Override
        public void close() throws IOException {
            try (OutputStream in = bash.getOutputStream()) {
                in.write('\n');
            } catch (IOException gone) {
                // already exited
            }
            bash.destroy();
            try {
                bash.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            listener.close();
        }
    }

    /** A child holding {@value #SOCKETS} sockets dominates: one and several threads find exactly its sockets. */
    @Test
    void childHoldingThousandsOfSocketsIsReadAlikeByOneAndSeveralThreads() throws Exception {
        try (SocketHolder holder = new SocketHolder(SOCKETS)) {
            int child = holder.pid;
            ProcessIndex single = ProcessIndex.system();
            single.fullScan(1);
            ProcessIndex.Tracked expected = single.tracked().get(child);
            assertThat(expected.inodes()).hasSize(SOCKETS);
            for (int threads : new int[] {2, 4}) {
                ProcessIndex parallel = ProcessIndex.system();
                parallel.fullScan(threads);
                ProcessIndex.Tracked actual = parallel.tracked().get(child);
                assertThat(actual.inodes()).isEqualTo(expected.inodes());
                assertThat(List.of(actual.fdKey(), actual.fdSize(), actual.fdMtime()))
                        .isEqualTo(List.of(expected.fdKey(), expected.fdSize(), expected.fdMtime()));
                for (long inode : expected.inodes()) {
                    assertThat(parallel.pidsOf(inode)).containsExactly(child);
                }
                assertThat(parallel.lastHandedOver()).isPositive();
            }
        }
    }

    /**
     * A process holding thousands of sockets killed while scans run: each scan ends without an
     * exception, finds at most its sockets, and closes every descriptor it opened.
     */
    @Test
    void largeTableVanishingDuringScansIsSkippedQuietly() throws Exception {
        long before = openDescriptors();
        for (int round = 0; round < 3; round++) {
            try (SocketHolder holder = new SocketHolder(SOCKETS)) {
                long delayMicros = 500L * round;
                Thread killer = Thread.ofPlatform().start(() -> {
                    LockSupport.parkNanos(delayMicros * 1000);
                    holder.bash.destroyForcibly();
                });
                for (int scan = 0; scan < 3; scan++) {
                    ProcessIndex ix = ProcessIndex.system();
                    ix.fullScan(3);
                    ProcessIndex.Tracked t = ix.tracked().get(holder.pid);
                    if (t != null) {
                        assertThat(t.inodes().size()).isLessThanOrEqualTo(SOCKETS);
                    }
                }
                killer.join();
            }
        }
        assertThat(openDescriptors() - before).as("descriptors left open").isLessThan(20);
    }

    private static long openDescriptors() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /**
     * Every process on the machine: a parallel scan between two single-threaded ones equals them when
     * they agree. Other work on the machine changes fd tables meanwhile, so a few rounds are tried;
     * when no two single-threaded scans agree, every process they agree on must agree with the
     * parallel scan.
     */
    @Test
    void wholeProcIsReadAlikeByOneAndSeveralThreads() throws IOException {
        try (SocketHolder holder = new SocketHolder(300)) { // sockets another process holds, even where
            wholeProc(holder.pid);                            // other processes' links are not readable
        }
    }

    private static void wholeProc(int holder) throws IOException {
        SortedMap<Integer, List<Long>> lastBefore = null, lastParallel = null, lastAfter = null;
        for (int round = 0; round < 5; round++) {
            ProcessIndex before = ProcessIndex.system();
            before.fullScan(1);
            ProcessIndex parallel = ProcessIndex.system();
            parallel.fullScan(2 + round % 3);
            ProcessIndex after = ProcessIndex.system();
            after.fullScan(1);
            assertThat(before.tracked().get(holder).inodes()).hasSize(300);
            if (othersOf(before).equals(othersOf(after)) && holdersOthers(before).equals(holdersOthers(after))
                    && before.counters().equals(after.counters())) {
                assertThat(othersOf(parallel)).isEqualTo(othersOf(before));
                assertThat(holdersOthers(parallel)).isEqualTo(holdersOthers(before));
                assertThat(parallel.counters()).isEqualTo(before.counters());
                return;
            }
            lastBefore = inodesByPid(before);
            lastParallel = inodesByPid(parallel);
            lastAfter = inodesByPid(after);
        }
        int compared = 0;
        for (var e : lastBefore.entrySet()) {
            if (e.getValue().equals(lastAfter.get(e.getKey()))) {
                assertThat(lastParallel.get(e.getKey())).as("pid %d", e.getKey()).isEqualTo(e.getValue());
                compared++;
            }
        }
        assertThat(compared).as("processes unchanged across the scans").isGreaterThan(lastBefore.size() / 2);
    }

    private static SortedMap<Integer, List<Long>> inodesByPid(ProcessIndex ix) {
        SortedMap<Integer, List<Long>> m = new TreeMap<>();
        othersOf(ix).forEach((pid, t) -> m.put(pid, t.inodes()));
        return m;
    }

    /** The index without this JVM: its fd table holds the scan's own directory descriptors. */
    private static SortedMap<Integer, ProcessIndex.Tracked> othersOf(ProcessIndex ix) {
        SortedMap<Integer, ProcessIndex.Tracked> m = ix.tracked();
        m.remove(SELF);
        return m;
    }

    private static SortedMap<Long, List<Integer>> holdersOthers(ProcessIndex ix) {
        SortedMap<Long, List<Integer>> m = new TreeMap<>();
        ix.holders().forEach((inode, pids) -> {
            List<Integer> others = pids.stream().filter(pid -> pid != SELF).toList();
            if (!others.isEmpty()) {
                m.put(inode, others);
            }
        });
        return m;
    }
}
