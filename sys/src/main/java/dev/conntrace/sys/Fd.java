package dev.conntrace.sys;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An open file descriptor (a socket, a namespace file) that is closed exactly once.
 *
 * <p>Thread-safe: {@link #close()} may race with itself and with {@link #value()}; only the first
 * close calls {@code close(2)}. A call that already fetched {@link #value()} may still run on a
 * descriptor another thread closes meanwhile; do not close a descriptor other threads are using.
 */
public final class Fd implements AutoCloseable {
    private static final VarHandle CLOSED;

    static {
        try {
            CLOSED = MethodHandles.lookup().findVarHandle(Fd.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int fd;
    @SuppressWarnings("unused") // written through CLOSED
    private volatile boolean closed;

    private Fd(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("negative file descriptor " + fd);
        }
        this.fd = fd;
    }

    /** Takes ownership of the open descriptor {@code fd}: closing this closes it. */
    public static Fd adopt(int fd) {
        return new Fd(fd);
    }

    /** The descriptor number, for a system call. */
    public int value() {
        if (closed) {
            throw new IllegalStateException("file descriptor " + fd + " is closed");
        }
        return fd;
    }

    /** False once {@link #close()} was called. */
    public boolean isOpen() {
        return !closed;
    }

    /**
     * Closes the descriptor; later calls do nothing. A failing {@code close(2)} is ignored: on Linux
     * the descriptor is released even then, so there is nothing left to retry.
     */
    @Override
    public void close() {
        if (CLOSED.compareAndSet(this, false, true)) {
            Libc.closeQuietly(fd);
        }
    }

    @Override
    public String toString() {
        return "Fd[" + fd + (closed ? ", closed]" : "]");
    }
}
