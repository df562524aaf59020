package dev.conntrace.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Commands for tests that join several network namespaces (veth pairs, a router between them): the caller
 * names them with {@link #unique} and deletes them in a finally block.
 */
final class TestNetns {
    private TestNetns() {}

    /** {@code prefix} followed by ten random hex digits. */
    static String unique(String prefix) {
        byte[] b = new byte[5];
        new SecureRandom().nextBytes(b);
        return prefix + HexFormat.of().formatHex(b);
    }

    /** Runs {@code ip ARGS}; an IOException with its output when it fails (30 s at most). */
    static void ip(String... args) throws IOException, InterruptedException {
        run(concat("ip", args));
    }

    /** Runs {@code command} inside namespace {@code ns}. */
    static void exec(String ns, String... command) throws IOException, InterruptedException {
        String[] prefix = {"ip", "netns", "exec", ns};
        String[] line = new String[prefix.length + command.length];
        System.arraycopy(prefix, 0, line, 0, prefix.length);
        System.arraycopy(command, 0, line, prefix.length, command.length);
        run(line);
    }

    /** Deletes namespace {@code ns} if it exists. */
    static void deleteQuietly(String ns) {
        try {
            ip("netns", "delete", ns);
        } catch (IOException | InterruptedException e) {
            // not created, or already gone
        }
    }

    private static String[] concat(String first, String[] rest) {
        String[] line = new String[rest.length + 1];
        line[0] = first;
        System.arraycopy(rest, 0, line, 1, rest.length);
        return line;
    }

    private static void run(String... line) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(List.of(line) + " failed: " + output);
        }
    }
}
