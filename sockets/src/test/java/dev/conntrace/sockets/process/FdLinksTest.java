package dev.conntrace.sockets.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FdLinksTest {
    @TempDir
    Path dir;

    private void link(String name, String target) throws Exception {
        Files.createSymbolicLink(dir.resolve(name), Path.of(target));
    }

    @Test
    void keepsOnlyWellFormedSocketLinks() throws Exception {
        link("0", "anon_inode:[eventpoll]");
        link("1", "socket:[4026531993]");
        link("2", "pipe:[77]");
        link("3", "socket:[12]");
        link("4", "socket:[1x]");
        link("5", "socket:[99999999999999999999]"); // 20 digits: not an inode
        link("6", "socket:[]");
        link("7", "socket:[13");
        Files.writeString(dir.resolve("8"), "not a link");
        FdLinks links = new FdLinks();
        long[] found = links.read(dir);
        long[] inodes = Arrays.copyOf(found, links.count);
        Arrays.sort(inodes);
        assertThat(inodes).containsExactly(12L, 4026531993L);
    }

    @Test
    void readsMoreLinksThanOneDirectoryBufferHolds() throws Exception {
        for (int i = 0; i < 2000; i++) { // 24 bytes per entry: two getdents64 calls
            link(Integer.toString(i), "socket:[" + (1000 + i) + "]");
        }
        FdLinks links = new FdLinks();
        long[] found = links.read(dir);
        assertThat(links.count).isEqualTo(2000);
        long[] inodes = Arrays.copyOf(found, links.count);
        Arrays.sort(inodes);
        assertThat(inodes[0]).isEqualTo(1000);
        assertThat(inodes[1999]).isEqualTo(2999);
        assertThat(links.read(dir)).isNotNull();
        assertThat(links.count).as("a second read starts afresh").isEqualTo(2000);
    }

    @Test
    void missingDirectoryIsNoSuchFile() {
        assertThatThrownBy(() -> new FdLinks().read(dir.resolve("gone"))).isInstanceOf(NoSuchFileException.class);
    }
}
