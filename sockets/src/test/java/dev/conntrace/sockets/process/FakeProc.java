package dev.conntrace.sockets.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.stream.Stream;

/** A /proc-shaped directory tree with fd symlinks, for index tests that need no kernel. */
final class FakeProc {
    final Path root;
    private long changes;

    FakeProc(Path root) {
        this.root = root;
    }

    FakeProc fd(int pid, int fd, String target) throws IOException {
        Path dir = Files.createDirectories(root.resolve(Integer.toString(pid)).resolve("fd"));
        Files.createSymbolicLink(dir.resolve(Integer.toString(fd)), Path.of(target));
        touch(dir);
        return this;
    }

    FakeProc closeFd(int pid, int fd) throws IOException {
        Path dir = root.resolve(Integer.toString(pid)).resolve("fd");
        Files.delete(dir.resolve(Integer.toString(fd)));
        touch(dir);
        return this;
    }

    /**
     * Stamps the directory with a strictly increasing mtime: file systems stamp with a coarse
     * clock, so two changes within one tick would otherwise look like none (procfs reports the fd
     * count as the directory size instead).
     */
    private void touch(Path dir) throws IOException {
        Files.setLastModifiedTime(dir, FileTime.fromMillis(1_000_000_000_000L + 1000 * ++changes));
    }

    FakeProc exit(int pid) throws IOException {
        try (Stream<Path> s = Files.walk(root.resolve(Integer.toString(pid)))) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        return this;
    }
}
