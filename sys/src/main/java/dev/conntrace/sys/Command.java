package dev.conntrace.sys;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs an external command with a time limit and returns its standard output. */
final class Command {
    private Command() {}

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /** Runs {@code command}; returns stdout; throws with stderr when it fails, times out or exits non-zero. */
    static String run(List<String> command, Duration timeout) throws IOException {
        File out = File.createTempFile("conntrace-cmd", ".out");
        File err = File.createTempFile("conntrace-cmd", ".err");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out)
                    .redirectError(err)
                    .start();
            boolean finished;
            try {
                finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running " + String.join(" ", command), e);
            }
            if (!finished) {
                process.destroyForcibly();
                throw new IOException("timed out after " + timeout + ": " + String.join(" ", command));
            }
            if (process.exitValue() != 0) {
                throw new IOException("exit status " + process.exitValue() + " from " + String.join(" ", command)
                        + ": " + Files.readString(err.toPath(), StandardCharsets.UTF_8).strip());
            }
            return Files.readString(out.toPath(), StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out.toPath());
            Files.deleteIfExists(err.toPath());
        }
    }
}
