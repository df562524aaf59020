package dev.conntrace.sys;

/**
 * Non-socket constants for {@link Libc}: {@code open(2)} flags ({@code <bits/fcntl-linux.h>}),
 * namespace types ({@code <linux/sched.h>}), {@code poll(2)} events ({@code <asm-generic/poll.h>})
 * and {@code mmap(2)} protections and flags ({@code <asm-generic/mman-common.h>}); C name beside each.
 */
public final class OsConstants {
    private OsConstants() {}

    // open(2)
    public static final int O_RDONLY = 0; // O_RDONLY
    public static final int O_CLOEXEC = 0x80000; // O_CLOEXEC (02000000)

    // setns(2) / unshare(2)
    public static final int CLONE_NEWNET = 0x40000000; // CLONE_NEWNET

    // poll(2) events
    public static final short POLLIN = 0x001; // POLLIN
    public static final short POLLPRI = 0x002; // POLLPRI
    public static final short POLLOUT = 0x004; // POLLOUT
    public static final short POLLERR = 0x008; // POLLERR
    public static final short POLLHUP = 0x010; // POLLHUP
    public static final short POLLNVAL = 0x020; // POLLNVAL

    // mmap(2)
    public static final int PROT_NONE = 0x0; // PROT_NONE
    public static final int PROT_READ = 0x1; // PROT_READ
    public static final int PROT_WRITE = 0x2; // PROT_WRITE
    public static final int MAP_SHARED = 0x01; // MAP_SHARED
    public static final int MAP_PRIVATE = 0x02; // MAP_PRIVATE
    public static final int MAP_ANONYMOUS = 0x20; // MAP_ANONYMOUS
    public static final int MAP_LOCKED = 0x2000; // MAP_LOCKED
    public static final int MAP_POPULATE = 0x8000; // MAP_POPULATE
}
