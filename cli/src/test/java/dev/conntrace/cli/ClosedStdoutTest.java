package dev.conntrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conntrace.sys.testing.Prerequisites;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code conntrace … | head -1}: once nobody reads standard output, a command ends at once, quietly
 * and with status 0, instead of reporting "Broken pipe" (or working on for no reader).
 */
class ClosedStdoutTest {
    /** A stream whose every write fails as a write to a pipe without readers does. */
    private static final class Broken extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            throw new IOException("Broken pipe");
        }
    }

    /** Thrown by the test's "end of the process". */
    private static final class Ended extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    @Test
    void endsWhenTheReaderIsGoneAndOnlyThen() throws IOException {
        int[] ended = new int[1];
        ReaderGoneExit gone = new ReaderGoneExit(new Broken(), () -> true, () -> {
            ended[0]++;
            throw new Ended();
        });
        assertThatThrownBy(() -> gone.write(new byte[] {1, 2}, 0, 2)).isInstanceOf(Ended.class);
        assertThatThrownBy(() -> gone.write(1)).isInstanceOf(Ended.class);
        assertThat(ended[0]).isEqualTo(2);

        // another failure (a full disk) is the caller's to report
        ReaderGoneExit full = new ReaderGoneExit(new Broken(), () -> false, () -> ended[0]++);
        assertThatThrownBy(() -> full.write(7)).isInstanceOf(IOException.class).hasMessage("Broken pipe");
        assertThat(ended[0]).isEqualTo(2);

        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (ReaderGoneExit fine = new ReaderGoneExit(sink, () -> true, () -> ended[0]++)) {
            fine.write("ok".getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(sink.toString(StandardCharsets.US_ASCII)).isEqualTo("ok");
        assertThat(ended[0]).isEqualTo(2);
    }

    private record Exit(int status, String err) {}

    /** Runs {@code conntrace ARGS} in a new JVM whose standard output is a pipe closed before it writes. */
    private static Exit runWithClosedStdout(String... args) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", cp,
                Main.class.getName()));
        line.addAll(List.of(args));
        Process p = new ProcessBuilder(line).start();
        p.getInputStream().close(); // the reader is gone before the command's first write
        p.getOutputStream().close();
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        assertThat(done).as("conntrace %s ended", String.join(" ", args)).isTrue();
        return new Exit(p.exitValue(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void socketListingsEndQuietly() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)); // at least one row
            for (String format : List.of("json", "table")) {
                Exit e = runWithClosedStdout("sockets", "-a", "-o", format);
                assertThat(e.err()).as("stderr of -o %s", format).isEmpty();
                assertThat(e.status()).as("status of -o %s", format).isZero();
            }
        }
    }

    @Test
    void printStreamCommandsEndQuietly() throws Exception {
        Path pcap = null;
        for (Path d = Path.of("").toAbsolutePath(); d != null && pcap == null; d = d.getParent()) {
            Path p = d.resolve("shared").resolve("pcaps").resolve("zeek--tcp_tcp-fast-open.pcap");
            pcap = Files.isRegularFile(p) ? p : null;
        }
        Prerequisites.require(pcap != null, "shared capture zeek--tcp_tcp-fast-open.pcap not found");
        Exit e = runWithClosedStdout("streams", "-o", "json", pcap.toString());
        assertThat(e.err()).isEmpty();
        assertThat(e.status()).isZero();
    }
}
