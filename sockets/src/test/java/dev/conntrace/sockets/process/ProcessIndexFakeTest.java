package dev.conntrace.sockets.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessIndexFakeTest {
    @TempDir
    Path tmp;

    private ProcessIndex index(FakeProc p, ProcessIndex.Limits limits) {
        return new ProcessIndex(p.root, limits);
    }

    @Test
    void mapsInodesToEveryHolderAndIgnoresOtherFds() throws IOException {
        FakeProc p = new FakeProc(tmp)
                .fd(100, 3, "socket:[111]").fd(100, 4, "pipe:[5]").fd(100, 5, "socket:[222]").fd(100, 6, "socket:[111]")
                .fd(200, 0, "socket:[111]").fd(200, 1, "anon_inode:[eventpoll]");
        Files.createDirectories(tmp.resolve("self"));
        Files.createDirectories(tmp.resolve("sys"));
        ProcessIndex ix = index(p, ProcessIndex.Limits.DEFAULT);
        ix.fullScan();
        assertThat(ix.pidsOf(111)).containsExactlyInAnyOrder(100, 200);
        assertThat(ix.pidsOf(222)).containsExactly(100);
        assertThat(ix.pidsOf(5)).isEmpty();
        assertThat(ix.processCount()).isEqualTo(2);
        assertThat(ix.inodeCount()).isEqualTo(2);
    }

    @Test
    void refreshDropsExitedAndAddsNewProcesses() throws IOException {
        FakeProc p = new FakeProc(tmp).fd(100, 3, "socket:[111]").fd(200, 3, "socket:[111]");
        ProcessIndex ix = index(p, ProcessIndex.Limits.DEFAULT);
        ix.fullScan();
        p.exit(100).fd(300, 7, "socket:[333]");
        ix.refresh();
        assertThat(ix.pidsOf(111)).containsExactly(200);
        assertThat(ix.pidsOf(333)).containsExactly(300);
        p.exit(200);
        ix.refresh();
        assertThat(ix.pidsOf(111)).isEmpty();
        assertThat(ix.inodeCount()).isEqualTo(1);
    }

    @Test
    void refreshRereadsOnlyChangedFdTables() throws IOException {
        FakeProc p = new FakeProc(tmp).fd(100, 3, "socket:[111]").fd(200, 3, "socket:[222]");
        ProcessIndex ix = index(p, ProcessIndex.Limits.DEFAULT);
        ix.fullScan();
        long before = ix.counters().fdTablesRead();
        ix.refresh();
        assertThat(ix.counters().fdTablesRead()).isEqualTo(before);
        p.fd(200, 4, "socket:[444]");
        ix.refresh();
        assertThat(ix.counters().fdTablesRead()).isEqualTo(before + 1);
        assertThat(ix.pidsOf(444)).containsExactly(200);
    }

    @Test
    void reusedPidIsRescanned() throws IOException {
        FakeProc p = new FakeProc(tmp).fd(100, 3, "socket:[111]");
        ProcessIndex ix = index(p, ProcessIndex.Limits.DEFAULT);
        ix.fullScan();
        p.exit(100).fd(100, 3, "socket:[999]");
        ix.refresh();
        assertThat(ix.pidsOf(111)).isEmpty();
        assertThat(ix.pidsOf(999)).containsExactly(100);
    }

    @Test
    void findRescansWhenAnInodeIsMissing() throws IOException {
        FakeProc p = new FakeProc(tmp).fd(100, 3, "socket:[111]").fd(200, 3, "socket:[222]");
        ProcessIndex ix = index(p, ProcessIndex.Limits.DEFAULT);
        ix.fullScan();
        p.fd(300, 1, "socket:[333]");
        assertThat(ix.pidsOf(333)).isEmpty();
        assertThat(ix.find(333)).containsExactly(300);
        assertThat(ix.find(0)).isEmpty();
        assertThat(ix.find(987654)).isEmpty();
        assertThat(ix.counters().missRescans()).isEqualTo(1);
        assertThat(ix.find(987654)).isEmpty(); // remembered: no second search before a refresh
        assertThat(ix.counters().missRescans()).isEqualTo(1);
        ix.refresh();
        p.fd(100, 9, "socket:[987654]");
        assertThat(ix.find(987654)).containsExactly(100);
    }

    @Test
    void capsAreEnforcedAndCounted() throws IOException {
        // scanned highest pid first: 300 fills the inode cap, 200's socket and process 100 do not fit
        FakeProc p = new FakeProc(tmp).fd(300, 3, "socket:[1]").fd(300, 4, "socket:[2]").fd(300, 5, "socket:[3]")
                .fd(200, 3, "socket:[4]").fd(100, 3, "socket:[5]");
        ProcessIndex ix = index(p, new ProcessIndex.Limits(2, 2, 8));
        ix.fullScan();
        assertThat(ix.processCount()).isEqualTo(2);
        assertThat(ix.inodeCount()).isEqualTo(2);
        assertThat(ix.counters().droppedProcesses()).isEqualTo(1);
        assertThat(ix.counters().droppedInodes()).isEqualTo(2);
        assertThat(ix.pidsOf(1)).containsExactly(300);
        assertThat(ix.pidsOf(4)).isEmpty();
        assertThat(ix.pidsOf(5)).isEmpty();
    }
}
