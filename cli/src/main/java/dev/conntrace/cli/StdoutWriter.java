package dev.conntrace.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * The process's standard output as picocli's writer (UTF-8, flushed on println as picocli's own
 * is), which also lends its 64 KiB byte buffer to commands that write bytes: a bulk listing
 * encodes UTF-8 straight into it instead of through a Writer and a charset encoder.
 */
final class StdoutWriter extends PrintWriter {
    private final OutputStream bytes;

    private StdoutWriter(OutputStream bytes) {
        super(new OutputStreamWriter(bytes, StandardCharsets.UTF_8), true);
        this.bytes = bytes;
    }

    /** A writer over file descriptor 1; the process ends quietly when nobody reads it any more. */
    static StdoutWriter open() {
        return new StdoutWriter(new BufferedOutputStream(
                ReaderGoneExit.stdout(new FileOutputStream(FileDescriptor.out)), 1 << 16));
    }

    /** The byte stream under this writer; {@link #flush()} this writer before writing to it. */
    OutputStream bytes() {
        return bytes;
    }
}
