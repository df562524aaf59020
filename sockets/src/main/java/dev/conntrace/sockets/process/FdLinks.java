package dev.conntrace.sockets.process;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.conntrace.sys.Errno;
import dev.conntrace.sys.Fd;
import dev.conntrace.sys.Libc;
import dev.conntrace.sys.OsConstants;
import dev.conntrace.sys.SysException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads the socket inodes of one {@code /proc/PID/fd} directory with {@code getdents64} and
 * {@code readlinkat} on native buffers: no {@code Path} or {@code String} per descriptor, which made
 * most of a scan's cost (tens of thousands of descriptors per listing).
 *
 * <p>Not thread-safe (one per scanning thread); a batch of entries one object {@link #fill}ed may be
 * {@link #resolve}d by another, so that the links of one large fd table are read by several threads.
 * Memory: a 32 KiB directory buffer and a 64-byte link buffer, native and freed with this object,
 * a heap copy of each, and the inodes found.
 */
final class FdLinks {
    private static final int DIRENT_BUFFER = 32 * 1024;
    private static final int DT_UNKNOWN = 0; // DT_UNKNOWN (<dirent.h>)
    private static final int DT_LNK = 10; // DT_LNK
    private static final byte[] SOCKET_PREFIX = {'s', 'o', 'c', 'k', 'e', 't', ':', '['};

    private static final int LINK_BUFFER = 64;

    private final MemorySegment entries;
    private final MemorySegment target;
    private final byte[] records = new byte[DIRENT_BUFFER];
    private final byte[] link = new byte[LINK_BUFFER];
    private long[] inodes = new long[64];
    /** How many inodes the last {@link #read} found. */
    int count;

    FdLinks() {
        Arena arena = Arena.ofAuto();
        entries = arena.allocate(DIRENT_BUFFER, 8);
        target = arena.allocate(LINK_BUFFER, 8);
    }

    /**
     * The socket inodes {@code directory}'s links name, unsorted, in a buffer valid until the next
     * call; its first {@link #count} entries count.
     *
     * @throws AccessDeniedException when the directory cannot be read (not our process, not root)
     * @throws NoSuchFileException when it is gone (the process exited)
     * @throws SysException on other failures
     */
    long[] read(Path directory) throws java.io.IOException {
        count = 0;
        try (Fd dir = open(directory)) {
            int n;
            while ((n = fill(dir, directory)) > 0) {
                resolve(dir, records, n);
            }
        }
        return inodes;
    }

    /**
     * Opens {@code directory} for {@link #fill} and {@link #resolve}.
     *
     * @throws AccessDeniedException when it cannot be read
     * @throws NoSuchFileException when it is gone
     */
    static Fd open(Path directory) throws java.io.IOException {
        try {
            return Libc.open(directory.toString(), OsConstants.O_RDONLY);
        } catch (SysException e) {
            throw translate(e, directory);
        }
    }

    /**
     * Reads the next batch of {@code dir}'s entries into this object's buffers (native and
     * {@link #records()}), checks their framing and returns the bytes read, 0 at the end.
     */
    int fill(Fd dir, Path directory) throws java.io.IOException {
        int n;
        try {
            n = Libc.getdents64(dir, entries);
        } catch (SysException e) {
            throw translate(e, directory);
        }
        // one bulk copy, then plain array reads: segment reads cost much more until compiled
        MemorySegment.copy(entries, JAVA_BYTE, 0, records, 0, n);
        for (int off = 0; off < n; ) {
            int length = n - off < 20 ? n - off : recordLength(records, off);
            if (length < 20 || off + length > n) {
                throw new SysException("getdents64", Errno.EIO, "record of " + length + " bytes at " + off
                        + " in " + directory);
            }
            off += length;
        }
        return n;
    }

    /** The heap copy of the batch the last {@link #fill} read (its first n bytes). */
    byte[] records() {
        return records;
    }

    /**
     * Reads the links of a batch of entries {@link #fill} checked, from this object or another
     * (a batch handed to another scanning thread), and adds the socket inodes they name to
     * {@link #inodes()}; {@link #clear()} starts afresh.
     */
    void resolve(Fd dir, byte[] batch, int n) {
        if (batch != records) {
            MemorySegment.copy(batch, 0, entries, JAVA_BYTE, 0, n);
        }
        for (int off = 0; off < n; ) {
            int length = recordLength(batch, off);
            int type = batch[off + 18]; // d_type
            if (type == DT_LNK || type == DT_UNKNOWN) {
                link(dir, entries.asSlice(off + 19, length - 19));
            }
            off += length;
        }
    }

    /** The inodes found since the last {@link #clear()} (its first {@link #count} entries count). */
    long[] inodes() {
        return inodes;
    }

    /** Forgets the inodes found so far. */
    void clear() {
        count = 0;
    }

    /** The size of one directory batch, for callers that copy one. */
    static int batchSize() {
        return DIRENT_BUFFER;
    }

    private static int recordLength(byte[] records, int off) {
        return (records[off + 16] & 0xFF) | (records[off + 17] & 0xFF) << 8; // d_reclen, little-endian
    }

    /** Adds the inode of the link named at {@code name}, if it names a socket; skips fds closed meanwhile. */
    private void link(Fd dir, MemorySegment name) {
        int n = (int) Libc.tryReadlinkat(dir, name, target);
        if (n < SOCKET_PREFIX.length + 2 || n >= link.length) {
            return; // gone (negative), not a socket, or too long to be one
        }
        MemorySegment.copy(target, JAVA_BYTE, 0, link, 0, n);
        if (link[n - 1] != ']') {
            return;
        }
        for (int i = 0; i < SOCKET_PREFIX.length; i++) {
            if (link[i] != SOCKET_PREFIX[i]) {
                return;
            }
        }
        int digits = n - 1 - SOCKET_PREFIX.length;
        if (digits > 19) {
            return;
        }
        long v = 0;
        for (int i = SOCKET_PREFIX.length; i < n - 1; i++) {
            int d = link[i] - '0';
            if (d < 0 || d > 9) {
                return;
            }
            v = v * 10 + d;
        }
        if (v <= 0) {
            return;
        }
        if (count == inodes.length) {
            inodes = Arrays.copyOf(inodes, count * 2);
        }
        inodes[count++] = v;
    }

    private static java.io.IOException translate(SysException e, Path directory) {
        if (e.errno() == Errno.EACCES || e.errno() == Errno.EPERM) {
            return new AccessDeniedException(directory.toString(), null, e.getMessage());
        }
        if (e.errno() == Errno.ENOENT || e.errno() == Errno.ESRCH) {
            return new NoSuchFileException(directory.toString(), null, e.getMessage());
        }
        return e;
    }
}
