package dev.conntrace.sys;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.ref.Reference;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Typed libc calls over the FFM API, with {@code errno} captured on every call
 * ({@link Linker.Option#captureCallState(String...)}) and turned into a {@link SysException}.
 *
 * <p><b>Memory.</b> Buffers passed in must be native segments (heap segments are rejected with an
 * {@link IllegalArgumentException}, as the linker rejects them). Nothing here allocates per call on the hot paths ({@code send*}, {@code recv*},
 * {@code poll}): the errno capture area and a small scratch area for out-parameters live in one
 * native block per calling thread, allocated on the thread's first call and freed with the thread.
 *
 * <p><b>Errors.</b> The plain methods retry on {@code EINTR} and throw {@link SysException} on any
 * other failure. The {@code try…} variants return {@code -errno} instead of throwing, for loops in
 * which {@code EAGAIN} or {@code ENOBUFS} are ordinary outcomes and an exception would cost a stack trace.
 *
 * <p><b>Calls.</b> Every call is a system call made through libc's {@code syscall(3)} with one shared
 * downcall handle ({@link Syscall}): a short command pays the linker's set-up once instead of once per
 * function. {@code open} is {@code openat(AT_FDCWD, …)}, {@code poll} is {@code ppoll}, and
 * {@link #ifNameToIndex} is {@code ioctl(SIOCGIFINDEX)}, as glibc implements them.
 *
 * <p>Thread-safe: the method handle is immutable and the per-thread block is never shared.
 */
public final class Libc {
    private Libc() {}

    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final long SCRATCH_OFFSET = (CAPTURE.byteSize() + 15) & ~15L;
    private static final long SCRATCH_SIZE = 64;
    private static final ThreadLocal<MemorySegment> THREAD_BLOCK = ThreadLocal.withInitial(
            () -> Arena.ofAuto().allocate(SCRATCH_OFFSET + SCRATCH_SIZE, 16));

    // ---------------------------------------------------------------- sockets

    /** {@code socket(2)}: a new socket, e.g. {@code socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER)}. */
    public static Fd socket(int domain, int type, int protocol) throws SysException {
        MemorySegment state = state();
        int fd = (int) call(state, Syscall.SOCKET, domain, type, protocol, 0, 0, 0);
        if (fd < 0) {
            throw new SysException("socket", errno(state), "domain " + domain + ", type " + type + ", protocol " + protocol);
        }
        return Fd.adopt(fd);
    }

    /** {@code bind(2)} to the socket address in {@code address} (its whole size is the address length). */
    public static void bind(Fd fd, MemorySegment address) throws SysException {
        MemorySegment state = state();
        long rc = call(state, Syscall.BIND, fd.value(), Syscall.address(address), (int) address.byteSize(), 0, 0, 0);
        Reference.reachabilityFence(address);
        if (rc < 0) {
            throw new SysException("bind", errno(state));
        }
    }

    /** {@code connect(2)} to the socket address in {@code address} (its whole size is the address length). */
    public static void connect(Fd fd, MemorySegment address) throws SysException {
        MemorySegment state = state();
        while (true) {
            long rc = call(state, Syscall.CONNECT, fd.value(), Syscall.address(address), (int) address.byteSize(), 0, 0, 0);
            Reference.reachabilityFence(address);
            if (rc == 0) {
                return;
            }
            int errno = errno(state);
            if (errno != Errno.EINTR) {
                throw new SysException("connect", errno);
            }
        }
    }

    /** {@code getsockname(2)} into {@code address}; returns the address length the kernel reported. */
    public static int getsockname(Fd fd, MemorySegment address) throws SysException {
        MemorySegment state = state();
        MemorySegment length = scratch(state);
        length.set(JAVA_INT, 0, (int) address.byteSize());
        long rc = call(state, Syscall.GETSOCKNAME, fd.value(), Syscall.address(address), Syscall.address(length), 0, 0, 0);
        Reference.reachabilityFence(address);
        if (rc < 0) {
            throw new SysException("getsockname", errno(state));
        }
        return length.get(JAVA_INT, 0);
    }

    /** {@code setsockopt(2)} with an {@code int} value. */
    public static void setsockopt(Fd fd, int level, int name, int value) throws SysException {
        MemorySegment state = state();
        MemorySegment scratch = scratch(state);
        scratch.set(JAVA_INT, 0, value);
        setsockopt(state, fd, level, name, scratch, 4);
    }

    /** {@code setsockopt(2)} with a {@code struct timeval} (e.g. {@code SO_RCVTIMEO}); zero means "no timeout". */
    public static void setsockoptTimeval(Fd fd, int level, int name, Duration value) throws SysException {
        MemorySegment state = state();
        MemorySegment scratch = scratch(state);
        scratch.set(JAVA_LONG, 0, value.getSeconds());
        scratch.set(JAVA_LONG, 8, value.toNanosPart() / 1000);
        setsockopt(state, fd, level, name, scratch, 16);
    }

    /** {@code setsockopt(2)} with the bytes of {@code value}. */
    public static void setsockopt(Fd fd, int level, int name, MemorySegment value) throws SysException {
        setsockopt(state(), fd, level, name, value, (int) value.byteSize());
    }

    private static void setsockopt(MemorySegment state, Fd fd, int level, int name, MemorySegment value, int length)
            throws SysException {
        long rc = call(state, Syscall.SETSOCKOPT, fd.value(), level, name, Syscall.address(value), length, 0);
        Reference.reachabilityFence(value);
        if (rc < 0) {
            throw new SysException("setsockopt", errno(state), "level " + level + ", option " + name);
        }
    }

    /** {@code getsockopt(2)} of an {@code int} option. */
    public static int getsockoptInt(Fd fd, int level, int name) throws SysException {
        MemorySegment state = state();
        MemorySegment scratch = scratch(state);
        scratch.set(JAVA_INT, 0, 0);
        scratch.set(JAVA_INT, 8, 4);
        getsockopt(state, fd, level, name, scratch.asSlice(0, 4), scratch.asSlice(8, 4));
        return scratch.get(JAVA_INT, 0);
    }

    /** {@code getsockopt(2)} into {@code value}; returns the option length the kernel reported. */
    public static int getsockopt(Fd fd, int level, int name, MemorySegment value) throws SysException {
        MemorySegment state = state();
        MemorySegment length = scratch(state);
        length.set(JAVA_INT, 0, (int) value.byteSize());
        getsockopt(state, fd, level, name, value, length);
        return length.get(JAVA_INT, 0);
    }

    private static void getsockopt(MemorySegment state, Fd fd, int level, int name, MemorySegment value, MemorySegment length)
            throws SysException {
        long rc = call(state, Syscall.GETSOCKOPT, fd.value(), level, name, Syscall.address(value), Syscall.address(length), 0);
        Reference.reachabilityFence(value);
        if (rc < 0) {
            throw new SysException("getsockopt", errno(state), "level " + level + ", option " + name);
        }
    }

    /** {@code sendto(2)} of {@code length} bytes of {@code buffer} to {@code address} ({@link MemorySegment#NULL} for a connected socket). */
    public static int sendto(Fd fd, MemorySegment buffer, long length, int flags, MemorySegment address) throws SysException {
        long n;
        do {
            n = trySendto(fd, buffer, length, flags, address);
        } while (n == -Errno.EINTR);
        return countOrThrow("sendto", n);
    }

    /** {@link #sendto} returning {@code -errno} instead of throwing. */
    public static long trySendto(Fd fd, MemorySegment buffer, long length, int flags, MemorySegment address) {
        checkLength(buffer, length);
        MemorySegment state = state();
        long n = call(state, Syscall.SENDTO, fd.value(), Syscall.address(buffer), length, flags, Syscall.address(address),
                address.equals(MemorySegment.NULL) ? 0 : (int) address.byteSize());
        Reference.reachabilityFence(buffer);
        Reference.reachabilityFence(address);
        return n < 0 ? -errno(state) : n;
    }

    /** {@code sendmsg(2)} with a prepared {@link MsgHdr}. */
    public static int sendmsg(Fd fd, MsgHdr message, int flags) throws SysException {
        long n;
        do {
            n = trySendmsg(fd, message, flags);
        } while (n == -Errno.EINTR);
        return countOrThrow("sendmsg", n);
    }

    /** {@link #sendmsg} returning {@code -errno} instead of throwing. */
    public static long trySendmsg(Fd fd, MsgHdr message, int flags) {
        MemorySegment state = state();
        long n = call(state, Syscall.SENDMSG, fd.value(), Syscall.address(message.segment()), flags, 0, 0, 0);
        Reference.reachabilityFence(message);
        return n < 0 ? -errno(state) : n;
    }

    /** {@code sizeof(struct mmsghdr)} on LP64: a {@code struct msghdr} (56 bytes), {@code msg_len} u32, padding. */
    public static final int MMSGHDR_SIZE = 64;

    /**
     * {@code sendmmsg(2)}: sends up to {@code count} messages described by the {@code struct mmsghdr}
     * array in {@code messages} ({@link #MMSGHDR_SIZE} bytes each; {@code msg_len} at offset 56
     * receives each message's byte count) in one system call.
     *
     * @return how many messages were sent (possibly fewer than {@code count}), or {@code -errno}
     */
    public static int trySendmmsg(Fd fd, MemorySegment messages, int count, int flags) {
        checkLength(messages, (long) MMSGHDR_SIZE * count);
        MemorySegment state = state();
        int n = (int) call(state, Syscall.SENDMMSG, fd.value(), Syscall.address(messages), count, flags, 0, 0);
        Reference.reachabilityFence(messages);
        return n < 0 ? -errno(state) : n;
    }

    /**
     * {@code recvfrom(2)} into the first {@code length} bytes of {@code buffer}, with no source address.
     * With {@code MSG_TRUNC} the result is the datagram's real length, which may exceed {@code length}.
     */
    public static int recv(Fd fd, MemorySegment buffer, long length, int flags) throws SysException {
        long n;
        do {
            n = tryRecvfrom(fd, buffer, length, flags, MemorySegment.NULL, MemorySegment.NULL);
        } while (n == -Errno.EINTR);
        return countOrThrow("recv", n);
    }

    /**
     * {@code recvfrom(2)}: {@code address} receives the source address and {@code addressLength} (an
     * {@code int} the caller sets to the address capacity) its length; either may be {@link MemorySegment#NULL}.
     * Returns the byte count or {@code -errno}.
     */
    public static long tryRecvfrom(Fd fd, MemorySegment buffer, long length, int flags,
                                   MemorySegment address, MemorySegment addressLength) {
        checkLength(buffer, length);
        MemorySegment state = state();
        long n = call(state, Syscall.RECVFROM, fd.value(), Syscall.address(buffer), length, flags, Syscall.address(address),
                Syscall.address(addressLength));
        Reference.reachabilityFence(buffer);
        Reference.reachabilityFence(address);
        Reference.reachabilityFence(addressLength);
        return n < 0 ? -errno(state) : n;
    }

    /**
     * {@code recvmsg(2)} into a prepared {@link MsgHdr} (call {@link MsgHdr#prepareReceive()} first).
     * With {@code MSG_TRUNC} the result is the datagram's real length; {@link MsgHdr#flags()} tells
     * whether it was truncated.
     */
    public static int recvmsg(Fd fd, MsgHdr message, int flags) throws SysException {
        long n;
        do {
            n = tryRecvmsg(fd, message, flags);
        } while (n == -Errno.EINTR);
        return countOrThrow("recvmsg", n);
    }

    /** {@link #recvmsg} returning {@code -errno} instead of throwing (and not retrying on EINTR). */
    public static long tryRecvmsg(Fd fd, MsgHdr message, int flags) {
        MemorySegment state = state();
        long n = call(state, Syscall.RECVMSG, fd.value(), Syscall.address(message.segment()), flags, 0, 0, 0);
        Reference.reachabilityFence(message);
        return n < 0 ? -errno(state) : n;
    }

    /**
     * {@code poll(2)} on one descriptor: waits up to {@code timeoutMillis} (negative: forever) for
     * {@code events}; returns the {@code revents} that occurred, 0 on timeout.
     * {@code EINTR} is returned as 0 (a spurious wake-up the caller's loop absorbs).
     */
    public static int poll(Fd fd, short events, int timeoutMillis) throws SysException {
        MemorySegment state = state();
        MemorySegment pollfd = scratch(state);
        pollfd.set(JAVA_INT, 0, fd.value());
        pollfd.set(JAVA_SHORT, 4, events);
        pollfd.set(JAVA_SHORT, 6, (short) 0);
        int rc = poll(state, pollfd, 1, timeoutMillis);
        if (rc == -Errno.EINTR) {
            return 0;
        }
        if (rc < 0) {
            throw new SysException("poll", -rc);
        }
        return rc == 0 ? 0 : pollfd.get(JAVA_SHORT, 6) & 0xFFFF;
    }

    /**
     * {@code poll(2)} on {@code count} {@code struct pollfd} entries (8 bytes each: fd, events, revents)
     * in {@code pollfds}; returns the number of ready entries or {@code -errno}.
     */
    public static int tryPoll(MemorySegment pollfds, int count, int timeoutMillis) {
        checkLength(pollfds, 8L * count);
        return poll(state(), pollfds, count, timeoutMillis);
    }

    private static int poll(MemorySegment state, MemorySegment pollfds, int count, int timeoutMillis) {
        // ppoll(2) with a timespec in the scratch area after the pollfd poll(fd, …) may keep there
        long timeout = 0;
        if (timeoutMillis >= 0) {
            MemorySegment timespec = state.asSlice(SCRATCH_OFFSET + SCRATCH_SIZE - 16, 16);
            timespec.set(JAVA_LONG, 0, timeoutMillis / 1000);
            timespec.set(JAVA_LONG, 8, (timeoutMillis % 1000) * 1_000_000L);
            timeout = timespec.address();
        }
        int rc = (int) call(state, Syscall.PPOLL, Syscall.address(pollfds), count, timeout, 0, 0, 0);
        Reference.reachabilityFence(pollfds);
        return rc < 0 ? -errno(state) : rc;
    }

    // ---------------------------------------------------------------- files, devices, namespaces, memory

    private static final int IFNAMSIZ = 16; // IFNAMSIZ (<linux/if.h>)
    private static final int IFREQ_SIZE = 40; // sizeof(struct ifreq) on LP64
    private static final long SIOCGIFINDEX = 0x8933; // SIOCGIFINDEX (<linux/sockios.h>)

    /** {@code read(2)} of up to {@code length} bytes into {@code buffer}; 0 at end of file. */
    public static int read(Fd fd, MemorySegment buffer, long length) throws SysException {
        checkLength(buffer, length);
        MemorySegment state = state();
        while (true) {
            long n = call(state, Syscall.READ, fd.value(), Syscall.address(buffer), length, 0, 0, 0);
            Reference.reachabilityFence(buffer);
            if (n >= 0) {
                return (int) n;
            }
            int errno = errno(state);
            if (errno != Errno.EINTR) {
                throw new SysException("read", errno);
            }
        }
    }

    /** {@code write(2)} of up to {@code length} bytes of {@code buffer}; returns the bytes written. */
    public static int write(Fd fd, MemorySegment buffer, long length) throws SysException {
        checkLength(buffer, length);
        MemorySegment state = state();
        while (true) {
            long n = call(state, Syscall.WRITE, fd.value(), Syscall.address(buffer), length, 0, 0, 0);
            Reference.reachabilityFence(buffer);
            if (n >= 0) {
                return (int) n;
            }
            int errno = errno(state);
            if (errno != Errno.EINTR) {
                throw new SysException("write", errno);
            }
        }
    }

    /** {@code ioctl(2)} with a pointer argument (e.g. a {@code struct ifreq}); returns the call's non-negative result. */
    public static int ioctl(Fd fd, long request, MemorySegment argument) throws SysException {
        MemorySegment state = state();
        int rc = (int) call(state, Syscall.IOCTL, fd.value(), request, Syscall.address(argument), 0, 0, 0);
        Reference.reachabilityFence(argument);
        if (rc < 0) {
            throw new SysException("ioctl", errno(state), "request 0x" + Long.toHexString(request));
        }
        return rc;
    }

    /**
     * {@code if_nametoindex(3)}: the index of interface {@code name} in the calling thread's network
     * namespace.
     *
     * @throws SysException ENODEV when there is no such interface
     */
    public static int ifNameToIndex(String name) throws SysException {
        // As glibc does it: ioctl(SIOCGIFINDEX) on a throw-away socket, whose namespace is the thread's.
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= IFNAMSIZ || name.indexOf('\0') >= 0) {
            throw new SysException("if_nametoindex", Errno.ENODEV, name);
        }
        try (Arena arena = Arena.ofConfined();
                Fd socket = socket(SocketConstants.AF_UNIX, SocketConstants.SOCK_DGRAM | SocketConstants.SOCK_CLOEXEC, 0)) {
            MemorySegment ifreq = arena.allocate(IFREQ_SIZE, 8);
            MemorySegment.copy(bytes, 0, ifreq, JAVA_BYTE, 0, bytes.length);
            try {
                ioctl(socket, SIOCGIFINDEX, ifreq);
            } catch (SysException e) {
                throw new SysException("if_nametoindex", e.errno(), name);
            }
            return ifreq.get(JAVA_INT, IFNAMSIZ); // ifr_ifindex
        }
    }

    /** {@code open(2)} of {@code path} with {@code flags} (O_CLOEXEC is always added). */
    public static Fd open(String path, int flags) throws SysException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cPath = arena.allocateFrom(path);
            MemorySegment state = state();
            int fd = (int) call(state, Syscall.OPENAT, Syscall.AT_FDCWD, Syscall.address(cPath), flags | OsConstants.O_CLOEXEC,
                    0, 0, 0);
            if (fd < 0) {
                throw new SysException("open", errno(state), path);
            }
            return Fd.adopt(fd);
        }
    }

    /**
     * {@code getdents64(2)}: reads directory entries of {@code directory} (an fd {@link #open}ed on a
     * directory) into {@code buffer} as {@code struct linux_dirent64} records (u64 d_ino, s64 d_off,
     * u16 d_reclen, u8 d_type, then the NUL-terminated d_name); returns the bytes filled, 0 at the end.
     *
     * @throws SysException e.g. ENOTDIR for a file, EINVAL for a buffer too small for one entry
     */
    public static int getdents64(Fd directory, MemorySegment buffer) throws SysException {
        MemorySegment state = state();
        while (true) {
            long n = call(state, Syscall.GETDENTS64, directory.value(), Syscall.address(buffer),
                    Math.min(buffer.byteSize(), Integer.MAX_VALUE), 0, 0, 0);
            Reference.reachabilityFence(buffer);
            if (n >= 0) {
                return (int) n;
            }
            int errno = errno(state);
            if (errno != Errno.EINTR) {
                throw new SysException("getdents64", errno);
            }
        }
    }

    /**
     * {@code readlinkat(2)}: the target of the symbolic link named by the NUL-terminated string at the
     * start of {@code name}, relative to {@code directory}, into {@code buffer} (not NUL-terminated,
     * truncated to the buffer's size). Returns the target's byte count or {@code -errno}, so that a scan
     * of {@code /proc/PID/fd} can pass names straight from a {@link #getdents64} buffer and skip fds
     * closed meanwhile ({@code ENOENT}) without an exception.
     */
    public static long tryReadlinkat(Fd directory, MemorySegment name, MemorySegment buffer) {
        MemorySegment state = state();
        long n = call(state, Syscall.READLINKAT, directory.value(), Syscall.address(name), Syscall.address(buffer),
                Math.min(buffer.byteSize(), Integer.MAX_VALUE), 0, 0);
        Reference.reachabilityFence(name);
        Reference.reachabilityFence(buffer);
        return n < 0 ? -errno(state) : n;
    }

    /**
     * {@code setns(2)}: moves the <em>calling thread</em> into the namespace {@code fd} refers to
     * ({@code nstype} e.g. {@link OsConstants#CLONE_NEWNET}). Prefer {@link NetNamespace#call}.
     */
    public static void setns(Fd fd, int nstype) throws SysException {
        MemorySegment state = state();
        long rc = call(state, Syscall.SETNS, fd.value(), nstype, 0, 0, 0, 0);
        if (rc < 0) {
            throw new SysException("setns", errno(state));
        }
    }

    /**
     * {@code mmap(2)}: maps {@code length} bytes; {@code fd} may be null for anonymous mappings.
     * The returned segment is unbounded by any arena: release it with {@link #munmap}.
     */
    public static MemorySegment mmap(long length, int prot, int flags, Fd fd, long offset) throws SysException {
        MemorySegment state = state();
        long address = call(state, Syscall.MMAP, 0, length, prot, flags, fd == null ? -1 : fd.value(), offset);
        if (address == -1L) { // MAP_FAILED
            throw new SysException("mmap", errno(state), length + " bytes");
        }
        return MemorySegment.ofAddress(address).reinterpret(length);
    }

    /** {@code munmap(2)} of a segment {@link #mmap} returned. */
    public static void munmap(MemorySegment mapping) throws SysException {
        MemorySegment state = state();
        long rc = call(state, Syscall.MUNMAP, Syscall.address(mapping), mapping.byteSize(), 0, 0, 0, 0);
        if (rc < 0) {
            throw new SysException("munmap", errno(state));
        }
    }

    /** {@code getpid(2)}. */
    public static int getpid() {
        return (int) call(state(), Syscall.GETPID, 0, 0, 0, 0, 0, 0);
    }

    /** {@code close(2)}, ignoring errors; {@link Fd#close()} calls it once. */
    static void closeQuietly(int fd) {
        long rc = call(state(), Syscall.CLOSE, fd, 0, 0, 0, 0, 0);
        assert rc == 0 || rc == -1;
    }

    // ---------------------------------------------------------------- internals

    /** One system call; -1 with errno in {@code state} on failure. */
    private static long call(MemorySegment state, long number, long a1, long a2, long a3, long a4, long a5, long a6) {
        try {
            return (long) Syscall.SYSCALL.invokeExact(state, number, a1, a2, a3, a4, a5, a6);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static MemorySegment state() {
        return THREAD_BLOCK.get();
    }

    private static MemorySegment scratch(MemorySegment state) {
        return state.asSlice(SCRATCH_OFFSET, SCRATCH_SIZE);
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** A {@code try…} call's result as the throwing variants return it: the count, or {@link SysException} for {@code op}. */
    private static int countOrThrow(String op, long n) throws SysException {
        if (n < 0) {
            throw new SysException(op, (int) -n);
        }
        return (int) n;
    }

    private static void checkLength(MemorySegment buffer, long length) {
        if (length < 0 || length > buffer.byteSize()) {
            throw new IndexOutOfBoundsException("length " + length + " outside a buffer of " + buffer.byteSize() + " bytes");
        }
    }

    private static RuntimeException unexpected(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("native call failed", t);
    }
}
