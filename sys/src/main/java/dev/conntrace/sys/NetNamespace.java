package dev.conntrace.sys;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An open network namespace ({@code /run/netns/NAME}, {@code /proc/PID/ns/net}, or any bind-mounted
 * namespace file) in which tasks run.
 *
 * <p>{@code setns(2)} moves only the calling thread, so {@link #call} runs each task on a new,
 * dedicated platform thread that enters the namespace first and ends with the task. Sockets the
 * task creates belong to this namespace for their whole life, whichever thread uses them later.
 *
 * <p>Thread-safe; holds one file descriptor until {@link #close()}.
 */
public final class NetNamespace implements AutoCloseable {
    /** A task run inside the namespace; it may throw one checked exception type. */
    @FunctionalInterface
    public interface Task<T, X extends Exception> {
        /** Runs inside the namespace. */
        T call() throws X;
    }

    /** A task without a result. */
    @FunctionalInterface
    public interface Action<X extends Exception> {
        /** Runs inside the namespace. */
        void run() throws X;
    }

    private final Path path;
    private final Fd fd;

    private NetNamespace(Path path, Fd fd) {
        this.path = path;
        this.fd = fd;
    }

    /** Opens the namespace file at {@code path}. */
    public static NetNamespace open(Path path) throws SysException {
        return new NetNamespace(path, Libc.open(path.toString(), OsConstants.O_RDONLY));
    }

    /** Opens the named namespace {@code /run/netns/NAME} (as {@code ip netns add NAME} creates). */
    public static NetNamespace named(String name) throws SysException {
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("bad namespace name '" + name + "'");
        }
        return open(Path.of("/run/netns", name));
    }

    /** Opens the network namespace of process {@code pid} ({@code /proc/PID/ns/net}). */
    public static NetNamespace ofProcess(long pid) throws SysException {
        return open(Path.of("/proc", Long.toString(pid), "ns", "net"));
    }

    /** The namespace file this was opened from. */
    public Path path() {
        return path;
    }

    /**
     * Runs {@code task} on a new platform thread inside this namespace and returns its result.
     * The task's exception (checked or not) is rethrown as is; a failing {@code setns} is a
     * {@link SysException}. Waits for the task even when interrupted (the interrupt is kept).
     */
    public <T, X extends Exception> T call(Task<T, X> task) throws X, SysException {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().name("netns " + path).unstarted(() -> {
            try {
                Libc.setns(fd, OsConstants.CLONE_NEWNET);
                result.set(task.call());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        thread.start();
        Threads.joinUninterruptibly(thread);
        Throwable t = failure.get();
        if (t != null) {
            throw NetNamespace.<RuntimeException>sneaky(t);
        }
        return result.get();
    }

    /** As {@link #call} for a task without a result. */
    public <X extends Exception> void run(Action<X> action) throws X, SysException {
        call(() -> {
            action.run();
            return null;
        });
    }

    /** Closes the namespace file; running tasks are unaffected. */
    @Override
    public void close() {
        fd.close();
    }

    @Override
    public String toString() {
        return "NetNamespace[" + path + "]";
    }

    /** Rethrows {@code t} whatever its type: the task's X, a SysException, or an unchecked throwable. */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }
}
