package dev.conntrace.netlink;

import dev.conntrace.sys.SysException;
import java.lang.foreign.MemorySegment;
import java.time.Duration;

/**
 * The datagram transport under a {@link NetlinkSocket}: the real kernel socket
 * ({@link KernelTransport}) or a fake that answers requests with a function
 * ({@link dev.conntrace.netlink.fake.FakeKernel}), so that everything above the socket can be
 * tested without root.
 *
 * <p>Errors are {@link SysException}s carrying the errno the kernel (or the fake) reported.
 */
public interface NetlinkTransport extends AutoCloseable {
    /** The socket's bound port id ({@code nl_pid} from {@code getsockname}). */
    int portId();

    /** Sends the first {@code length} bytes of {@code message} to the kernel as one datagram. */
    void send(MemorySegment message, int length) throws SysException;

    /**
     * Receives one datagram into {@code buffer} and returns its <em>full</em> length: a value above
     * {@code buffer.byteSize()} means the datagram was truncated (its tail is lost).
     *
     * @param wait false: return -1 at once when nothing is queued; true: block up to the receive
     *     timeout, then fail with EAGAIN
     */
    int receive(MemorySegment buffer, boolean wait) throws SysException;

    /** The sender's port id of the last datagram received (0: the kernel). */
    int lastSenderPortId();

    /** The sender's multicast groups bitmask of the last datagram received (0: unicast). */
    int lastSenderGroups();

    /** Waits up to {@code timeoutMillis} (negative: forever) until a datagram or an error is queued. */
    boolean awaitReadable(int timeoutMillis) throws SysException;

    /** {@code setsockopt} with an int value. */
    void setOption(int level, int name, int value) throws SysException;

    /** {@code getsockopt} of an int value. */
    int option(int level, int name) throws SysException;

    /** Bounds a waiting {@link #receive}; zero waits forever. */
    void receiveTimeout(Duration timeout) throws SysException;

    /** Releases the socket; idempotent. */
    @Override
    void close();
}
