package dev.conntrace.sys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A private, named network namespace for tests and benchmarks: {@link #create()} runs
 * {@code ip netns add ct-<random>} and brings its loopback up; {@link #close()} deletes it.
 *
 * <pre>{@code
 * try (PrivateNamespace ns = PrivateNamespace.create()) {
 *     ns.exec("nft", "add", "table", "inet", "t");
 *     int port = ns.call(() -> openListener());
 * }
 * }</pre>
 *
 * <p>Needs root (CAP_SYS_ADMIN) and iproute2's {@code ip}. Thread-safe; closing is idempotent.
 * Every command runs with a time limit ({@value #COMMAND_TIMEOUT_SECONDS} s).
 */
public final class PrivateNamespace implements AutoCloseable {
    /** Prefix of every name this class creates. */
    public static final String PREFIX = "ct-";
    static final int COMMAND_TIMEOUT_SECONDS = 60;

    private final String name;
    private final NetNamespace namespace;
    private final AtomicBoolean closed = new AtomicBoolean();

    private PrivateNamespace(String name, NetNamespace namespace) {
        this.name = name;
        this.namespace = namespace;
    }

    /** Creates {@code ct-<12 random hex digits>} and sets its loopback up. */
    public static PrivateNamespace create() throws IOException {
        byte[] random = new byte[6];
        new SecureRandom().nextBytes(random);
        String name = PREFIX + HexFormat.of().formatHex(random);
        ip("netns", "add", name);
        try {
            ip("-n", name, "link", "set", "lo", "up");
            return new PrivateNamespace(name, NetNamespace.named(name));
        } catch (IOException | RuntimeException e) {
            try {
                ip("netns", "delete", name);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** The namespace's name, as {@code ip netns list} shows it. */
    public String name() {
        return name;
    }

    /** Its namespace file, {@code /run/netns/NAME}. */
    public Path path() {
        return namespace.path();
    }

    /** The open namespace, to run tasks in. */
    public NetNamespace namespace() {
        return namespace;
    }

    /** True while the namespace file exists. */
    public boolean exists() {
        return Files.exists(path());
    }

    /** Runs {@code command} inside the namespace ({@code ip netns exec NAME ...}); returns its stdout. */
    public String exec(String... command) throws IOException {
        List<String> line = new ArrayList<>(List.of("ip", "netns", "exec", name));
        line.addAll(List.of(command));
        return Command.run(line, Command.DEFAULT_TIMEOUT);
    }

    /** Runs {@code task} on a dedicated thread inside the namespace; see {@link NetNamespace#call}. */
    public <T, X extends Exception> T call(NetNamespace.Task<T, X> task) throws X, SysException {
        return namespace.call(task);
    }

    /** Runs {@code action} on a dedicated thread inside the namespace; see {@link NetNamespace#run}. */
    public <X extends Exception> void run(NetNamespace.Action<X> action) throws X, SysException {
        namespace.run(action);
    }

    /**
     * Deletes the namespace ({@code ip netns delete}); later calls do nothing.
     *
     * @throws UncheckedIOException when {@code ip} fails to delete it
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        namespace.close();
        try {
            ip("netns", "delete", name);
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete network namespace " + name, e);
        }
    }

    @Override
    public String toString() {
        return "PrivateNamespace[" + name + "]";
    }

    private static void ip(String... arguments) throws IOException {
        List<String> line = new ArrayList<>(List.of("ip"));
        line.addAll(List.of(arguments));
        Command.run(line, Command.DEFAULT_TIMEOUT);
    }
}
