package dev.conntrace.sockets.netns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.sys.testing.Prerequisites;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetnsScannerTest {
    @TempDir
    Path tmp;

    private void link(int pid, String target) throws IOException {
        Path ns = Files.createDirectories(tmp.resolve("proc").resolve(Integer.toString(pid)).resolve("ns"));
        Files.createSymbolicLink(ns.resolve("net"), Path.of(target));
    }

    @Test
    void deduplicatesByInodeAndPicksLowestPid() throws IOException {
        link(300, "net:[4026531840]");
        link(20, "net:[4026531840]");
        link(7, "net:[4026532001]");
        link(8, "mnt:[4026532002]");
        Files.createDirectories(tmp.resolve("proc").resolve("self"));
        NetnsScanner s = new NetnsScanner(tmp.resolve("proc"), tmp.resolve("no-run-netns"));
        List<NetnsRef> all = s.scan();
        assertThat(all).extracting(NetnsRef::inode).containsExactly(4026531840L, 4026532001L);
        NetnsRef init = all.getFirst();
        assertThat(init.pid()).isEqualTo(20);
        assertThat(init.processes()).isEqualTo(2);
        assertThat(init.name()).isNull();
        assertThat(init.path()).isEqualTo(tmp.resolve("proc/20/ns/net"));
        assertThat(init.procNetDir(tmp.resolve("proc"))).isEqualTo(tmp.resolve("proc/20/net"));
        assertThat(s.namespaceOf(7)).isEqualTo(4026532001L);
        assertThat(s.namespaceOf(8)).isEqualTo(-1);
    }

    @Test
    void findsNamedNamespaceAndItsProcesses() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireTool("ip");
        String name = "ct-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFFFL);
        run("ip", "netns", "add", name);
        Process sleeper = null;
        try {
            sleeper = new ProcessBuilder("ip", "netns", "exec", name, "sleep", "20").start();
            long inode = (Long) Files.getAttribute(Path.of("/run/netns", name), "unix:ino");
            NetnsScanner s = NetnsScanner.system();
            long sleeperPid = sleeper.pid();
            for (int i = 0; i < 100 && s.namespaceOf((int) sleeperPid) != inode; i++) {
                Thread.sleep(20); // ip netns exec: setns happens just after the fork
            }
            List<NetnsRef> all = s.scan();
            NetnsRef mine = all.stream().filter(r -> r.inode() == inode).findFirst().orElseThrow();
            assertThat(mine.name()).isEqualTo(name);
            assertThat(mine.path()).isEqualTo(Path.of("/run/netns", name));
            assertThat(mine.processes()).isGreaterThanOrEqualTo(1);
            assertThat(mine.pid()).isLessThanOrEqualTo((int) sleeperPid);
            long self = s.namespaceOf((int) ProcessHandle.current().pid());
            assertThat(all).extracting(NetnsRef::inode).contains(self).doesNotHaveDuplicates();
            assertThat(self).isNotEqualTo(inode);
        } finally {
            if (sleeper != null) {
                sleeper.destroy();
                sleeper.waitFor(5, TimeUnit.SECONDS);
            }
            run("ip", "netns", "del", name);
        }
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
