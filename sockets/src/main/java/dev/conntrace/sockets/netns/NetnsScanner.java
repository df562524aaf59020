package dev.conntrace.sockets.netns;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds every network namespace of the host: those of processes ({@code /proc/PID/ns/net}, a
 * link to {@code net:[INODE]}) and the named ones under {@code /run/netns} (nsfs bind mounts whose
 * inode is the namespace's). Deduplicated by inode.
 *
 * <p>Bounded: at most {@link #MAX_NAMESPACES} namespaces are reported; the rest are counted in
 * {@link #dropped()}. Processes that exit mid-scan or whose links cannot be read are skipped.
 * Not thread-safe (one scanner per thread).
 */
public final class NetnsScanner {
    /** Most namespaces one scan returns. */
    public static final int MAX_NAMESPACES = 16_384;

    private final Path proc;
    private final Path runNetns;
    private long dropped;

    /** A scanner of {@code procRoot} (normally /proc) and {@code runNetns} (normally /run/netns). */
    public NetnsScanner(Path procRoot, Path runNetns) {
        this.proc = procRoot;
        this.runNetns = runNetns;
    }

    /** A scanner of this host. */
    public static NetnsScanner system() {
        return new NetnsScanner(Path.of("/proc"), Path.of("/run/netns"));
    }

    /** Namespaces dropped by the cap in the last scan. */
    public long dropped() {
        return dropped;
    }

    /** The namespace inode of process {@code pid} (from its {@code ns/net} link), or -1. */
    public long namespaceOf(int pid) {
        return linkInode(proc.resolve(Integer.toString(pid)).resolve("ns").resolve("net"));
    }

    /** Every namespace found now, ordered by inode. */
    public List<NetnsRef> scan() throws IOException {
        dropped = 0;
        Map<Long, Builder> found = new HashMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(proc)) {
            for (Path dir : ds) {
                String name = dir.getFileName().toString();
                if (!isPid(name)) {
                    continue;
                }
                long inode = linkInode(dir.resolve("ns").resolve("net"));
                if (inode < 0) {
                    continue;
                }
                Builder b = entry(found, inode);
                if (b != null) {
                    int pid = Integer.parseInt(name);
                    b.processes++;
                    if (b.pid < 0 || pid < b.pid) {
                        b.pid = pid;
                    }
                }
            }
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(runNetns)) {
            for (Path file : ds) {
                long inode = fileInode(file);
                Builder b = inode < 0 ? null : entry(found, inode);
                if (b != null && (b.name == null || file.getFileName().toString().compareTo(b.name) < 0)) {
                    b.name = file.getFileName().toString();
                    b.namedPath = file;
                }
            }
        } catch (NoSuchFileException none) {
            // no named namespaces
        }
        List<NetnsRef> out = new ArrayList<>(found.size());
        for (var e : found.entrySet()) {
            Builder b = e.getValue();
            Path path = b.namedPath != null ? b.namedPath
                    : proc.resolve(Integer.toString(b.pid)).resolve("ns").resolve("net");
            out.add(new NetnsRef(e.getKey(), path, b.name, b.pid, b.processes));
        }
        out.sort(Comparator.comparingLong(NetnsRef::inode));
        return out;
    }

    private Builder entry(Map<Long, Builder> found, long inode) {
        Builder b = found.get(inode);
        if (b == null) {
            if (found.size() >= MAX_NAMESPACES) {
                dropped++;
                return null;
            }
            b = new Builder();
            found.put(inode, b);
        }
        return b;
    }

    private static long linkInode(Path link) {
        try {
            String t = Files.readSymbolicLink(link).toString();
            String prefix = "net:[";
            if (!t.startsWith(prefix) || !t.endsWith("]")) {
                return -1;
            }
            return Long.parseLong(t, prefix.length(), t.length() - 1, 10);
        } catch (IOException | NumberFormatException | UnsupportedOperationException unreadable) {
            return -1;
        }
    }

    private static long fileInode(Path file) {
        try {
            Object ino = Files.getAttribute(file, "unix:ino");
            return ino instanceof Long l ? l : -1;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException unreadable) {
            return -1;
        }
    }

    private static boolean isPid(String s) {
        if (s.isEmpty() || s.length() > 9) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static final class Builder {
        int pid = -1;
        int processes;
        String name;
        Path namedPath;
    }
}
