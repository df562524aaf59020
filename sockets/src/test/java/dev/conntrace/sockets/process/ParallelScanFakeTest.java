package dev.conntrace.sockets.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parallel full scan builds exactly the single-threaded index, over a fixed fake /proc. */
class ParallelScanFakeTest {
    /** Shared by the tests that only read it: making thousands of links is slow on some file systems. */
    @TempDir
    static Path shared;

    @TempDir
    Path tmp;

    @BeforeAll
    static void makeShared() throws IOException {
        dominated(shared, 5000);
    }

    /** One process with {@code fds} fds (several directory batches) among 60 small ones sharing sockets. */
    private static FakeProc dominated(Path tmp, int fds) throws IOException {
        FakeProc p = new FakeProc(tmp);
        Path big = Files.createDirectories(tmp.resolve("4000").resolve("fd"));
        for (int fd = 0; fd < fds; fd++) { // links straight away: FakeProc.fd stamps the directory each time
            Files.createSymbolicLink(big.resolve(Integer.toString(fd)),
                    Path.of(fd % 10 == 0 ? "pipe:[" + fd + "]" : "socket:[" + (100_000 + fd) + "]"));
        }
        for (int pid = 100; pid < 160; pid++) {
            p.fd(pid, 0, "socket:[" + (100_000 + pid) + "]") // also held by 4000
                    .fd(pid, 1, "socket:[" + (900_000 + pid / 2) + "]") // two small processes each
                    .fd(pid, 2, "anon_inode:[eventpoll]");
        }
        Files.createDirectories(tmp.resolve("self"));
        return p;
    }

    private static void assertSameIndex(ProcessIndex parallel, ProcessIndex single) {
        assertThat(parallel.tracked()).isEqualTo(single.tracked());
        assertThat(parallel.holders()).isEqualTo(single.holders());
        assertThat(parallel.counters()).isEqualTo(single.counters());
    }

    @Test
    void parallelScanEqualsSingleThreadedScan() throws IOException {
        ProcessIndex single = new ProcessIndex(shared, ProcessIndex.Limits.DEFAULT);
        single.fullScan();
        assertThat(single.processCount()).isEqualTo(61);
        assertThat(single.tracked().get(4000).inodes()).hasSize(4500);
        assertThat(single.pidsOf(100_000 + 121)).containsExactly(4000, 121);
        assertThat(single.pidsOf(900_060)).containsExactly(121, 120);
        for (int threads : new int[] {2, 3, 4, 8}) {
            ProcessIndex parallel = new ProcessIndex(shared, ProcessIndex.Limits.DEFAULT);
            parallel.fullScan(threads);
            assertSameIndex(parallel, single);
            assertThat(parallel.lastHandedOver()).as("the large table's later batches are queued for any thread")
                    .isPositive();
        }
    }

    @Test
    void capsDropTheSameProcessesAndInodes() throws IOException {
        ProcessIndex.Limits limits = new ProcessIndex.Limits(20, 3000, 8);
        ProcessIndex single = new ProcessIndex(shared, limits);
        single.fullScan();
        assertThat(single.counters().droppedProcesses()).isEqualTo(41);
        assertThat(single.counters().droppedInodes()).isPositive();
        ProcessIndex parallel = new ProcessIndex(shared, limits);
        parallel.fullScan(3);
        assertSameIndex(parallel, single);
    }

    @Test
    void aParallelScanReplacesTheIndexAndKeepsItIncremental() throws IOException {
        FakeProc p = dominated(tmp, 1500); // two directory batches
        ProcessIndex ix = new ProcessIndex(tmp, ProcessIndex.Limits.DEFAULT);
        ix.fullScan(2);
        assertThat(ix.lastHandedOver()).isPositive();
        p.exit(4000).fd(5000, 3, "socket:[777]");
        ix.fullScan(2);
        assertThat(ix.pidsOf(100_000 + 121)).containsExactly(121);
        assertThat(ix.pidsOf(777)).containsExactly(5000);
        long read = ix.counters().fdTablesRead();
        p.fd(5000, 4, "socket:[778]");
        ix.refresh();
        assertThat(ix.pidsOf(778)).containsExactly(5000);
        assertThat(ix.counters().fdTablesRead()).isEqualTo(read + 1);
        assertThat(ix.counters().fullScans()).isEqualTo(2);
    }

    @Test
    void closesEveryDirectoryDescriptor() throws IOException {
        long before = openDescriptors();
        for (int i = 0; i < 20; i++) {
            new ProcessIndex(shared, ProcessIndex.Limits.DEFAULT).fullScan(3);
        }
        // a leak would keep 61 descriptors per scan; other test threads may hold a few meanwhile
        assertThat(openDescriptors() - before).isLessThan(61);
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void emptyProcAndBadThreadCounts() throws IOException {
        ProcessIndex ix = new ProcessIndex(tmp, ProcessIndex.Limits.DEFAULT);
        ix.fullScan(4);
        assertThat(ix.processCount()).isZero();
        assertThatThrownBy(() -> ix.fullScan(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ProcessIndex.defaultScanThreads()).isBetween(1, 4);
    }
}
