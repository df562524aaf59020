package dev.conntrace.sockets.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ProcessDetails} over a /proc-shaped tree: cached details are trusted while the process's
 * directory is the same (same inode), and a reused pid (a new directory) is read again.
 */
class ProcessDetailsFakeTest {
    @TempDir
    Path root;

    /** Writes /proc/PID (built aside, then moved in, so the new directory never shares the old one's inode). */
    private void process(int pid, String comm, long startTicks, String cmdline) throws IOException {
        Path fresh = Files.createDirectories(root.resolve(pid + ".new"));
        Files.writeString(fresh.resolve("stat"), pid + " (" + comm + ") S 1 " + pid + " " + pid
                + " 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 " + startTicks + " 0 0\n");
        Files.writeString(fresh.resolve("cmdline"), cmdline.replace(' ', '\0') + "\0");
        Files.writeString(fresh.resolve("status"), "Name:\t" + comm + "\nUid:\t0\t0\t0\t0\n");
        Files.writeString(fresh.resolve("cgroup"), "0::/system.slice/" + comm + ".service\n");
        Path dir = root.resolve(Integer.toString(pid));
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.move(fresh, dir, StandardCopyOption.ATOMIC_MOVE);
    }

    private ProcessDetails details() throws IOException {
        Files.writeString(root.resolve("stat"), "cpu 1 2 3\nbtime 1700000000\n");
        Path passwd = Files.writeString(root.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        return new ProcessDetails(root, new UserNames(passwd), 8);
    }

    @Test
    void sameDirectoryIsTrustedWithoutRereadingStat() throws IOException {
        process(100, "nginx", 5000, "nginx -g daemon");
        ProcessDetails d = details();
        ProcessInfo first = d.get(100);
        assertThat(first.comm()).isEqualTo("nginx");
        assertThat(first.cmdline()).isEqualTo("nginx -g daemon");
        assertThat(first.unit()).isEqualTo("nginx.service");
        assertThat(first.user()).isEqualTo("root");

        // the same process instance (same directory): its cached details are returned as they were read
        Files.writeString(root.resolve("100").resolve("stat"), "garbage");
        assertThat(d.get(100)).isSameAs(first);
    }

    @Test
    void reusedPidIsReadAgain() throws IOException {
        process(100, "nginx", 5000, "nginx");
        ProcessDetails d = details();
        ProcessInfo old = d.get(100);
        process(100, "sshd", 9000, "sshd -D"); // the pid now names another process
        ProcessInfo now = d.get(100);
        assertThat(now).isNotSameAs(old);
        assertThat(now.comm()).isEqualTo("sshd");
        assertThat(now.cmdline()).isEqualTo("sshd -D");
        assertThat(now.startTicks()).isEqualTo(9000);
        assertThat(d.get(100)).isSameAs(now);
    }

    @Test
    void sameProcessInANewDirectoryKeepsItsDetails() throws IOException {
        process(100, "nginx", 5000, "nginx");
        ProcessDetails d = details();
        ProcessInfo first = d.get(100);
        process(100, "nginx", 5000, "nginx"); // directory entry made anew, same start time: same process
        assertThat(d.get(100)).isSameAs(first);
    }

    @Test
    void goneProcessIsNull() throws IOException {
        process(100, "nginx", 5000, "nginx");
        ProcessDetails d = details();
        assertThat(d.get(100)).isNotNull();
        try (Stream<Path> s = Files.walk(root.resolve("100"))) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        assertThat(d.get(100)).isNull();
        assertThat(d.get(101)).isNull();
    }
}
