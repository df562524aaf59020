package dev.conntrace.cli;

import dev.conntrace.sys.Fd;
import dev.conntrace.sys.Libc;
import dev.conntrace.sys.OsConstants;
import dev.conntrace.sys.SysException;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.function.BooleanSupplier;

/**
 * Standard output that ends the process quietly, with status 0, once nobody reads it any more
 * ({@code conntrace sockets | head -1}): as a Unix tool stopped by SIGPIPE prints nothing, and
 * unlike a Java program, which ignores SIGPIPE and would report "Broken pipe" or, behind a
 * {@link java.io.PrintWriter} that swallows errors, keep working for no reader.
 *
 * <p>A failed write is checked, not its message: {@code poll(2)} on descriptor 1 reports
 * {@code POLLERR} for a pipe without readers (and {@code POLLHUP} for a socket whose peer left).
 * Other failures (a full disk) are thrown as they are. The process is halted rather than exited:
 * a live capture's shutdown hook waits for the command thread, which is the one writing here.
 */
final class ReaderGoneExit extends FilterOutputStream {
    private final BooleanSupplier readerGone;
    private final Runnable end;

    /** Guards {@code out}; when a write fails and {@code readerGone} says so, runs {@code end} (which should not return). */
    ReaderGoneExit(OutputStream out, BooleanSupplier readerGone, Runnable end) {
        super(out);
        this.readerGone = readerGone;
        this.end = end;
    }

    /** Guards file descriptor 1 wrapped by {@code out}. */
    static ReaderGoneExit stdout(OutputStream out) {
        return new ReaderGoneExit(out, ReaderGoneExit::stdoutReaderGone, () -> {
            System.err.flush();
            Runtime.getRuntime().halt(0);
        });
    }

    /**
     * A print stream over descriptor 1 configured as {@link System#out} is (its charset, flushed on
     * each println and write), for commands that write through a {@link PrintStream}.
     */
    static PrintStream stdoutPrintStream() {
        return new PrintStream(new BufferedOutputStream(stdout(new FileOutputStream(FileDescriptor.out)), 8192), true,
                System.out.charset());
    }

    @Override
    public void write(int b) throws IOException {
        try {
            out.write(b);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public void flush() throws IOException {
        try {
            out.flush();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    private IOException failed(IOException e) {
        if (readerGone.getAsBoolean()) {
            end.run();
        }
        return e;
    }

    /** True when descriptor 1 has no reader left (a pipe's read end closed, a socket's peer gone). */
    private static boolean stdoutReaderGone() {
        try {
            int revents = Libc.poll(Fd.adopt(1), OsConstants.POLLOUT, 0); // never closed: fd 1 stays open
            return (revents & (OsConstants.POLLERR | OsConstants.POLLHUP)) != 0;
        } catch (SysException | RuntimeException unknown) {
            return false;
        }
    }
}
