package dev.conntrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.sys.PrivateNamespace;
import dev.conntrace.sys.testing.Prerequisites;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code conntrace sockets} run as an unprivileged user (nobody, through {@code setpriv}) lists what
 * it can see — every socket of its namespace, without the owners it may not read — and says once
 * per kind what is missing and why.
 */
class NotRootTest {
    private static final int NOBODY = 65534;
    private Path classPath;

    /** A copy of the class path that nobody can read (the build's own may sit in root's home). */
    @BeforeEach
    void copyClassPath() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireTool("setpriv");
        requireJdkRunsAsNobody();
        classPath = Files.createTempDirectory("conntrace-cp");
        Files.setPosixFilePermissions(classPath, PosixFilePermissions.fromString("rwxr-xr-x"));
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        int i = 0;
        for (String entry : cp.split(File.pathSeparator)) {
            Path from = Path.of(entry);
            String name = from.getFileName().toString();
            if (entry.isEmpty() || !Files.exists(from) || name.equals("test-classes") || name.contains("jazzer")
                    || name.contains("junit") || name.contains("assertj")) {
                continue; // what the command does not need
            }
            Path to = classPath.resolve(i++ + "-" + name);
            try (Stream<Path> files = Files.walk(from)) {
                for (Path f : files.toList()) {
                    Path target = to.resolve(from.relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(target);
                        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                    } else {
                        Files.copy(f, target);
                        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
                    }
                }
            }
        }
    }

    /** The JDK must be one an unprivileged user can run (not one under root's home). */
    private static void requireJdkRunsAsNobody() throws Exception {
        Process p = new ProcessBuilder("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        boolean done = p.waitFor(30, TimeUnit.SECONDS);
        Prerequisites.require(done && p.exitValue() == 0,
                "the JDK at " + System.getProperty("java.home") + " cannot be run by an unprivileged user");
    }

    @AfterEach
    void deleteCopy() throws IOException {
        if (classPath != null) {
            try (Stream<Path> s = Files.walk(classPath)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private record Run(int status, List<String> out, List<String> err) {}

    private Run asNobody(String... args) throws Exception {
        List<String> entries = new ArrayList<>();
        try (Stream<Path> s = Files.list(classPath)) {
            s.sorted().forEach(p -> entries.add(p.toString()));
        }
        List<String> line = new ArrayList<>(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY,
                "--clear-groups", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", String.join(File.pathSeparator, entries), Main.class.getName()));
        line.addAll(List.of(args));
        Process p = new ProcessBuilder(line).directory(classPath.toFile()).start();
        p.getOutputStream().close();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        assertThat(done).isTrue();
        return new Run(p.exitValue(), out.lines().toList(), err.get(10, TimeUnit.SECONDS).lines().toList());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void listsWhatIsVisibleAndSaysOnceWhatIsMissing() throws Exception {
        try (ServerSocketChannel rootOwned = ServerSocketChannel.open();
                PrivateNamespace other = PrivateNamespace.create()) {
            assertThat(other.exists()).as("a namespace nobody may enter").isTrue();
            rootOwned.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = ((InetSocketAddress) rootOwned.getLocalAddress()).getPort();

            Run one = asNobody("sockets", "-l", "-t", "-o", "json", "--port", Integer.toString(port));
            assertThat(one.status()).isZero();
            // the socket is visible (sock_diag shows the whole namespace), its root-owned holder is not
            assertThat(one.out()).singleElement().asString().contains("\"port\":" + port).contains("\"processes\":[]");
            assertThat(one.err()).singleElement().asString()
                    .startsWith("conntrace sockets: owners of some sockets are missing: ")
                    .contains("unreadable").contains("root");

            Run all = asNobody("sockets", "-N", "-l", "-t", "--port", Integer.toString(port));
            assertThat(all.status()).isZero();
            assertThat(all.out()).anySatisfy(l -> assertThat(l).contains(":" + port));
            assertThat(all.err()).hasSize(2).doesNotHaveDuplicates();
            assertThat(all.err()).anySatisfy(l -> assertThat(l).contains("not listed").contains("needs root"));
            assertThat(all.err()).anySatisfy(l -> assertThat(l).contains("fd tables are unreadable"));
        }
    }
}
