package dev.conntrace.sys;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Every system call {@link Libc} makes goes through one downcall handle to libc's
 * {@code long syscall(long number, ...)}, with six {@code long} arguments (the kernel reads six
 * registers whatever the call; unused ones are ignored) and {@code errno} captured.
 *
 * <p>Why one handle: the FFM linker spends several milliseconds on each distinct function shape it
 * is asked for (descriptor plus options) and a short command is dominated by start-up, so one
 * shape for every call is much cheaper than one handle per libc function. Pointers are passed as
 * their addresses; {@link Libc} checks that each segment is native and keeps it reachable during
 * the call.
 *
 * <p>Numbers: {@code /usr/include/x86_64-linux-gnu/asm/unistd_64.h} (x86_64) and
 * {@code /usr/include/asm-generic/unistd.h} (aarch64), C name beside each. aarch64 has no
 * {@code open} or {@code poll}: {@code openat(AT_FDCWD, …)} and {@code ppoll} serve both.
 * Other architectures are refused when this class initialises.
 *
 * <p>Thread-safe: immutable.
 */
final class Syscall {
    private Syscall() {}

    private static final boolean X86_64 = isX86();

    static final long READ = nr(0, 63); // __NR_read
    static final long WRITE = nr(1, 64); // __NR_write
    static final long CLOSE = nr(3, 57); // __NR_close
    static final long MMAP = nr(9, 222); // __NR_mmap (aarch64: __NR3264_mmap)
    static final long MUNMAP = nr(11, 215); // __NR_munmap
    static final long IOCTL = nr(16, 29); // __NR_ioctl
    static final long GETPID = nr(39, 172); // __NR_getpid
    static final long SOCKET = nr(41, 198); // __NR_socket
    static final long CONNECT = nr(42, 203); // __NR_connect
    static final long SENDTO = nr(44, 206); // __NR_sendto
    static final long RECVFROM = nr(45, 207); // __NR_recvfrom
    static final long SENDMSG = nr(46, 211); // __NR_sendmsg
    static final long RECVMSG = nr(47, 212); // __NR_recvmsg
    static final long BIND = nr(49, 200); // __NR_bind
    static final long GETSOCKNAME = nr(51, 204); // __NR_getsockname
    static final long SETSOCKOPT = nr(54, 208); // __NR_setsockopt
    static final long GETSOCKOPT = nr(55, 209); // __NR_getsockopt
    static final long GETDENTS64 = nr(217, 61); // __NR_getdents64
    static final long OPENAT = nr(257, 56); // __NR_openat
    static final long READLINKAT = nr(267, 78); // __NR_readlinkat
    static final long PPOLL = nr(271, 73); // __NR_ppoll
    static final long SENDMMSG = nr(307, 269); // __NR_sendmmsg
    static final long SETNS = nr(308, 268); // __NR_setns

    /** {@code AT_FDCWD} ({@code <linux/fcntl.h>}): paths relative to the working directory. */
    static final int AT_FDCWD = -100; // AT_FDCWD

    /** {@code (state, number, a1..a6) -> long}: libc's {@code syscall(3)} with errno captured into state. */
    static final MethodHandle SYSCALL;

    static {
        Linker linker = Linker.nativeLinker();
        SYSCALL = linker.downcallHandle(
                linker.defaultLookup().find("syscall").orElseThrow(() -> new UnsatisfiedLinkError("libc has no syscall")),
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
                Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(1));
    }

    private static boolean isX86() {
        String arch = System.getProperty("os.arch");
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            return true;
        }
        if (arch.equals("aarch64")) {
            return false;
        }
        throw new UnsupportedOperationException("conntrace knows the system call numbers of x86_64 and aarch64 only, not "
                + arch);
    }

    private static long nr(long x86, long aarch64) {
        return X86_64 ? x86 : aarch64;
    }

    /** The address of {@code segment} for a call; heap segments are refused as the linker refuses them. */
    static long address(MemorySegment segment) {
        if (!segment.isNative()) {
            throw new IllegalArgumentException("Heap segment not allowed: " + segment);
        }
        return segment.address();
    }
}
