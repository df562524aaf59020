package dev.conntrace.sockets.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads {@link ProcessInfo} from {@code /proc/PID/{stat,cmdline,exe,status,cgroup}} and caches it
 * per process instance, so a reused pid is never reported with the old process's details.
 *
 * <p>A cached entry is checked on every {@link #get} with one {@code stat} of {@code /proc/PID}:
 * procfs gives each process instance's directory its own inode (a reused pid gets a new one, as a
 * dead process's directory is invalidated), so an unchanged inode means the same process and the
 * cached details are returned without reading {@code stat} again. A changed inode (a reused pid,
 * or the same process whose directory entry was evicted) reloads and compares start times.
 *
 * <p>Bounded: at most {@code cacheSize} processes are cached (least recently used evicted,
 * counted by {@link #evictions()}); a command line is cut at {@link #MAX_CMDLINE} bytes.
 * Start times assume {@link #USER_HZ} clock ticks per second, the value of every mainstream
 * Linux architecture. Thread-safe (methods are synchronized).
 */
public final class ProcessDetails {
    /** Longest command line kept, in bytes. */
    public static final int MAX_CMDLINE = 4096;
    /** Default number of cached processes. */
    public static final int DEFAULT_CACHE = 4096;
    /** Clock ticks per second of {@code /proc/PID/stat} times (sysconf(_SC_CLK_TCK) on Linux). */
    public static final long USER_HZ = 100;

    private final Path proc;
    private final UserNames users;
    private final int cacheSize;
    private final Map<Integer, Cached> cache;
    private final byte[] buf = new byte[MAX_CMDLINE];
    private long bootTimeSeconds = -1;
    private long evictions;

    /** The details of one process instance, the file key of its /proc/PID directory when read, and that directory. */
    private record Cached(ProcessInfo info, Object dirKey, Path dir) {}

    /** Details from the /proc tree at {@code procRoot}, names from {@code users}, caching {@code cacheSize}. */
    public ProcessDetails(Path procRoot, UserNames users, int cacheSize) {
        if (cacheSize < 1) {
            throw new IllegalArgumentException("cacheSize " + cacheSize + " < 1");
        }
        this.proc = procRoot;
        this.users = users;
        this.cacheSize = cacheSize;
        this.cache = new LinkedHashMap<>(16, 0.75f, true);
    }

    /** Details of this host's processes from /proc and /etc/passwd. */
    public static ProcessDetails system() {
        return new ProcessDetails(Path.of("/proc"), new UserNames(Path.of("/etc/passwd")), DEFAULT_CACHE);
    }

    /** Processes evicted from the cache so far. */
    public synchronized long evictions() {
        return evictions;
    }

    /** The process with {@code pid} now, or null when it does not exist (or vanished while being read). */
    public synchronized ProcessInfo get(int pid) {
        Cached cached = cache.get(pid);
        Path dir = cached != null ? cached.dir() : proc.resolve(Integer.toString(pid)); // a known pid: no new path
        Object key = dirKey(dir); // before anything is read: a reuse after this shows as a new key next time
        if (key == null) {
            return null;
        }
        if (cached != null && key.equals(cached.dirKey())) {
            return cached.info();
        }
        ProcStat stat = stat(dir);
        if (stat == null) {
            return null;
        }
        if (cached != null && cached.info().startTicks() == stat.startTicks()) {
            cache.put(pid, new Cached(cached.info(), key, dir)); // the same process, its directory entry made anew
            return cached.info();
        }
        ProcessInfo info = load(pid, dir, stat);
        if (info == null) {
            return null;
        }
        cache.put(pid, new Cached(info, key, dir));
        if (cache.size() > cacheSize) {
            var it = cache.entrySet().iterator();
            it.next();
            it.remove();
            evictions++;
        }
        return info;
    }

    /** The file key (device, inode) of a process's /proc directory, or null when it is gone. */
    private static Object dirKey(Path dir) {
        try {
            Object key = Files.readAttributes(dir, BasicFileAttributes.class).fileKey();
            return key == null ? new Object() : key; // no file keys: never equal, always validated by start time
        } catch (IOException gone) {
            return null;
        }
    }

    /** The start ticks of {@code pid}, or -1 when it does not exist. */
    synchronized long startTicks(int pid) {
        ProcStat s = stat(proc.resolve(Integer.toString(pid)));
        return s == null ? -1 : s.startTicks();
    }

    private ProcStat stat(Path dir) {
        try {
            int n = ProcFiles.read(dir.resolve("stat"), buf);
            return ProcStat.parse(buf, n);
        } catch (IOException gone) {
            return null;
        }
    }

    private ProcessInfo load(int pid, Path dir, ProcStat stat) {
        try {
            String cmdline = cmdline(dir);
            String exe = exe(dir);
            int uid = uid(dir);
            CgroupInfo cgroup = cgroup(dir);
            return new ProcessInfo(pid, stat.ppid(), stat.comm(), cmdline, exe, uid,
                    uid < 0 ? null : users.nameOf(uid), stat.startTicks(), startTime(stat.startTicks()), cgroup);
        } catch (IOException gone) {
            return null;
        }
    }

    private String cmdline(Path dir) throws IOException {
        int n = ProcFiles.read(dir.resolve("cmdline"), buf);
        while (n > 0 && buf[n - 1] == 0) {
            n--;
        }
        for (int i = 0; i < n; i++) {
            if (buf[i] == 0) {
                buf[i] = ' ';
            }
        }
        return new String(buf, 0, n, StandardCharsets.UTF_8);
    }

    private static String exe(Path dir) {
        try {
            return Files.readSymbolicLink(dir.resolve("exe")).toString();
        } catch (IOException | UnsupportedOperationException unreadable) {
            return null;
        }
    }

    private int uid(Path dir) throws IOException {
        int n = ProcFiles.read(dir.resolve("status"), buf);
        String s = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
        int at = s.indexOf("\nUid:");
        if (at < 0) {
            return -1;
        }
        int i = at + 5;
        while (i < s.length() && (s.charAt(i) == '\t' || s.charAt(i) == ' ')) {
            i++;
        }
        long v = 0;
        int start = i;
        while (i < s.length() && Character.isDigit(s.charAt(i)) && i - start < 10) {
            v = v * 10 + (s.charAt(i++) - '0');
        }
        return i == start || v > 0xFFFF_FFFFL ? -1 : (int) v;
    }

    private CgroupInfo cgroup(Path dir) {
        try {
            int n = ProcFiles.read(dir.resolve("cgroup"), buf);
            return CgroupInfo.parse(new String(buf, 0, n, StandardCharsets.UTF_8));
        } catch (IOException unreadable) {
            return CgroupInfo.NONE;
        }
    }

    private Instant startTime(long ticks) {
        if (bootTimeSeconds < 0) {
            bootTimeSeconds = bootTime();
        }
        if (bootTimeSeconds < 0) {
            return null;
        }
        long millis = bootTimeSeconds * 1000 + ticks * 1000 / USER_HZ;
        return Instant.ofEpochMilli(millis);
    }

    private long bootTime() {
        try {
            for (String line : Files.readAllLines(proc.resolve("stat"), StandardCharsets.ISO_8859_1)) {
                if (line.startsWith("btime ")) {
                    return Long.parseLong(line.substring(6).strip());
                }
            }
        } catch (IOException | NumberFormatException unreadable) {
            // no boot time: start times stay unknown
        }
        return -1;
    }
}
