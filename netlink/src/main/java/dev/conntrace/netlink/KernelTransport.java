package dev.conntrace.netlink;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.conntrace.sys.Errno;
import dev.conntrace.sys.Fd;
import dev.conntrace.sys.Libc;
import dev.conntrace.sys.MsgHdr;
import dev.conntrace.sys.OsConstants;
import dev.conntrace.sys.SocketConstants;
import dev.conntrace.sys.SysException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real {@code AF_NETLINK} socket: {@code socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol)}
 * bound to a kernel-assigned port id, in the network namespace of the creating thread.
 *
 * <p>Receives use {@code recvmsg(…, MSG_TRUNC)} into the caller's buffer with one reusable
 * {@link MsgHdr}: no allocation per datagram. Not thread-safe (one reader at a time).
 */
public final class KernelTransport implements NetlinkTransport {
    private final Fd fd;
    private final Arena arena = Arena.ofShared();
    private final MsgHdr receiveHeader;
    private final MemorySegment kernelAddress;
    private final int portId;
    private final AtomicBoolean closed = new AtomicBoolean();
    private MemorySegment lastBuffer;
    private int lastSenderPortId;
    private int lastSenderGroups;

    private KernelTransport(Fd fd) throws SysException {
        this.fd = fd;
        try {
            this.receiveHeader = MsgHdr.allocate(arena, SocketConstants.SOCKADDR_NL_SIZE);
            this.kernelAddress = arena.allocate(SocketConstants.SOCKADDR_NL_SIZE, 4);
            kernelAddress.set(JAVA_SHORT, 0, (short) SocketConstants.AF_NETLINK);
            MemorySegment local = arena.allocate(SocketConstants.SOCKADDR_NL_SIZE, 4);
            local.set(JAVA_SHORT, 0, (short) SocketConstants.AF_NETLINK);
            Libc.bind(fd, local);
            Libc.getsockname(fd, local);
            this.portId = local.get(JAVA_INT, 4);
        } catch (SysException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** Opens and binds a netlink socket for {@code protocol} (e.g. {@link SocketConstants#NETLINK_NETFILTER}). */
    public static KernelTransport open(int protocol) throws SysException {
        Fd fd = Libc.socket(SocketConstants.AF_NETLINK, SocketConstants.SOCK_RAW | SocketConstants.SOCK_CLOEXEC, protocol);
        try {
            return new KernelTransport(fd);
        } catch (SysException | RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    /** The socket's descriptor, e.g. to poll it with others. */
    public Fd fd() {
        return fd;
    }

    @Override
    public int portId() {
        return portId;
    }

    @Override
    public void send(MemorySegment message, int length) throws SysException {
        int sent = Libc.sendto(fd, message, length, 0, kernelAddress);
        if (sent != length) {
            throw new SysException("sendto", Errno.EMSGSIZE, "sent " + sent + " of " + length + " bytes");
        }
    }

    @Override
    public int receive(MemorySegment buffer, boolean wait) throws SysException {
        if (buffer != lastBuffer) {
            receiveHeader.buffer(buffer, buffer.byteSize());
            lastBuffer = buffer;
        }
        int flags = SocketConstants.MSG_TRUNC | (wait ? 0 : SocketConstants.MSG_DONTWAIT);
        while (true) {
            receiveHeader.prepareReceive();
            long n = Libc.tryRecvmsg(fd, receiveHeader, flags);
            if (n >= 0) {
                MemorySegment from = receiveHeader.name();
                lastSenderPortId = from.get(JAVA_INT, 4);
                lastSenderGroups = from.get(JAVA_INT, 8);
                return (int) n;
            }
            if (n == -Errno.EINTR) {
                continue;
            }
            if (n == -Errno.EAGAIN && !wait) {
                return -1;
            }
            throw new SysException("recvmsg", (int) -n);
        }
    }

    @Override
    public int lastSenderPortId() {
        return lastSenderPortId;
    }

    @Override
    public int lastSenderGroups() {
        return lastSenderGroups;
    }

    @Override
    public boolean awaitReadable(int timeoutMillis) throws SysException {
        return Libc.poll(fd, OsConstants.POLLIN, timeoutMillis) != 0;
    }

    @Override
    public void setOption(int level, int name, int value) throws SysException {
        Libc.setsockopt(fd, level, name, value);
    }

    @Override
    public int option(int level, int name) throws SysException {
        return Libc.getsockoptInt(fd, level, name);
    }

    @Override
    public void receiveTimeout(Duration timeout) throws SysException {
        Libc.setsockoptTimeval(fd, SocketConstants.SOL_SOCKET, SocketConstants.SO_RCVTIMEO, timeout);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            fd.close();
            arena.close();
        }
    }
}
