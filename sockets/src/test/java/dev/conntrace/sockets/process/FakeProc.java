package dev.conntrace.sockets.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A /proc-shaped directory tree with fd symlinks, for index tests that need no kernel. */
final class FakeProc {
    final Path root;

    FakeProc(Path root) {
        this.root = root;
    }

    FakeProc fd(int pid, int fd, String target) throws IOException {
        Path dir = Files.createDirectories(root.resolve(Integer.toString(pid)).resolve("fd"));
        Files.createSymbolicLink(dir.resolve(Integer.toString(fd)), Path.of(target));
        return this;
    }

    FakeProc closeFd(int pid, int fd) throws IOException {
        Files.delete(root.resolve(Integer.toString(pid)).resolve("fd").resolve(Integer.toString(fd)));
        return this;
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
