package dev.conntrace.sockets.process;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Socket inode → every process holding it (fork and fd passing give several), from
 * {@code /proc/PID/fd/N → socket:[INODE]}.
 *
 * <p>{@link #fullScan()} reads every fd table once ({@link #fullScan(int)} with several threads). {@link #refresh()} then keeps the index
 * current incrementally: it drops processes that exited, scans new ones (highest pid first) and
 * rescans only processes whose fd directory changed. A change is seen from one {@code stat} of
 * {@code /proc/PID/fd}: its size is the number of open fds (Linux 6.2+), its inode identifies the
 * process instance (a reused pid gets a new procfs inode), and its mtime covers other file
 * systems. Closing one socket and opening another keeps the count, so {@link #find(long)} rescans
 * unchanged processes, most recently discovered first, when an inode is missing.
 *
 * <p>Processes that vanish mid-scan are skipped quietly; fd tables that cannot be read (not root)
 * are counted in {@link Counters#unreadable()} and retried only when they change. Bounded: at most {@link Limits#maxProcesses()}
 * processes and {@link Limits#maxInodes()} socket inodes are tracked; what does not fit is
 * counted, not stored; fd tables are read through one 32 KiB native buffer per index ({@link FdLinks}),
 * plus one per extra thread of a parallel {@link #fullScan(int)}.
 * Thread-safe: every public method is synchronized.
 */
public final class ProcessIndex {

    /**
     * Caps of an index.
     *
     * @param maxProcesses processes tracked at most
     * @param maxInodes distinct socket inodes tracked at most
     * @param maxRescanPerMiss processes rescanned at most by one {@link #find(long)} miss
     */
    public record Limits(int maxProcesses, int maxInodes, int maxRescanPerMiss) {
        /** 65,536 processes, 1,048,576 inodes, 512 rescans per miss. */
        public static final Limits DEFAULT = new Limits(65_536, 1 << 20, 512);

        public Limits {
            if (maxProcesses < 1 || maxInodes < 1 || maxRescanPerMiss < 0) {
                throw new IllegalArgumentException("limits must be positive: " + maxProcesses + ", " + maxInodes
                        + ", " + maxRescanPerMiss);
            }
        }
    }

    /**
     * Cumulative counters.
     *
     * @param fullScans full scans run
     * @param refreshes incremental refreshes run
     * @param fdTablesRead fd directories read
     * @param vanished processes that exited while being scanned
     * @param unreadable fd directories that could not be read (permission)
     * @param droppedProcesses processes not tracked because of {@link Limits#maxProcesses()}
     * @param droppedInodes socket references not stored because of {@link Limits#maxInodes()}
     * @param missRescans rescans triggered by {@link #find(long)} misses
     */
    public record Counters(long fullScans, long refreshes, long fdTablesRead, long vanished, long unreadable,
            long droppedProcesses, long droppedInodes, long missRescans) {}

    /** Inodes remembered as not found (until the next refresh). */
    public static final int MAX_REMEMBERED_MISSES = 4096;

    private static final int[] NONE = new int[0];

    /** One tracked process. */
    private static final class Proc {
        final int pid;
        final long discovered;
        Object fdKey;
        long fdSize;
        long fdMtime;
        long[] inodes = new long[0];

        Proc(int pid, long discovered) {
            this.pid = pid;
            this.discovered = discovered;
        }
    }

    private final Path proc;
    private final Limits limits;
    private final Map<Integer, Proc> procs = new HashMap<>();
    private final Map<Long, int[]> holders = new HashMap<>();
    private long discoveries;
    private long epoch;
    private final Map<Long, Long> misses = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
            return size() > MAX_REMEMBERED_MISSES;
        }
    };
    private long[] scratch = new long[0];
    private final FdLinks links = new FdLinks();
    private int lastHandedOver;
    private long fullScans, refreshes, fdTablesRead, vanished, unreadable, droppedProcesses, droppedInodes,
            missRescans;

    /** An index over the /proc tree at {@code procRoot} (normally {@code /proc}). */
    public ProcessIndex(Path procRoot, Limits limits) {
        this.proc = Objects.requireNonNull(procRoot, "procRoot");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** An index over this host's /proc with default limits. */
    public static ProcessIndex system() {
        return new ProcessIndex(Path.of("/proc"), Limits.DEFAULT);
    }

    /** Forgets everything and reads every process's fd table, on the calling thread. */
    public synchronized void fullScan() throws IOException {
        fullScan(1);
    }

    /**
     * Forgets everything and reads every process's fd table with {@code threads} threads (the
     * caller's among them; 1 reads on the calling thread alone). The index and counters are exactly
     * those of {@link #fullScan()} over the same /proc: the tables are read in parallel, even the
     * links of one large table, but added to the index on the calling thread in the same order.
     * Extra threads cost {@value ParallelFdScan#BATCHES_PER_THREAD} batch buffers of 32 KiB and one
     * reader (64 KiB) each, for the scan's duration.
     *
     * @throws IllegalArgumentException when {@code threads < 1}
     * @throws java.io.InterruptedIOException when interrupted (the index then holds part of the scan)
     */
    public synchronized void fullScan(int threads) throws IOException {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive: " + threads);
        }
        epoch++;
        procs.clear();
        holders.clear();
        fullScans++;
        int[] pids = listPids();
        if (threads == 1) {
            for (int pid : pids) {
                track(pid);
            }
        } else {
            lastHandedOver = ParallelFdScan.scan(proc, pids, threads, links, this::adopt);
        }
    }

    /** A thread count for {@link #fullScan(int)}: the processors available, 1 to 4. */
    public static int defaultScanThreads() {
        return Math.clamp(Runtime.getRuntime().availableProcessors(), 1, 4);
    }

    /** Brings the index up to date, reading only new processes and changed fd tables. */
    public synchronized void refresh() throws IOException {
        epoch++;
        update();
    }

    private void update() throws IOException {
        update(0, false);
    }

    /** Brings the index up to date; false when {@code deadline} came first (the rest is read next time). */
    private boolean update(long deadline, boolean bounded) throws IOException {
        refreshes++;
        int[] pids = listPids();
        Set<Integer> alive = new HashSet<>(pids.length * 2);
        for (int pid : pids) {
            alive.add(pid);
        }
        for (var it = procs.values().iterator(); it.hasNext(); ) {
            Proc p = it.next();
            if (!alive.contains(p.pid)) {
                unlink(p);
                it.remove();
            }
        }
        for (int pid : pids) { // descending: newest pids first
            if (bounded && System.nanoTime() - deadline >= 0) {
                return false;
            }
            Proc p = procs.get(pid);
            if (p == null) {
                track(pid);
            } else if (changed(p)) {
                rescan(p);
            }
        }
        return true;
    }

    /** The pids holding socket {@code inode} as last scanned; empty when unknown. Never scans. */
    public synchronized int[] pidsOf(long inode) {
        int[] h = holders.get(inode);
        return h == null ? NONE : h.clone();
    }

    /**
     * The pids holding socket {@code inode}: from the index, else after a {@link #refresh()}, else
     * after rescanning up to {@link Limits#maxRescanPerMiss()} unchanged processes, most recently
     * discovered first. Empty when no process holds it (TIME_WAIT and other orphans have inode 0).
     * An inode missed once is not searched for again until the next {@link #refresh()} or
     * {@link #fullScan()} (at most {@link #MAX_REMEMBERED_MISSES} misses are remembered).
     */
    public synchronized int[] find(long inode) throws IOException {
        return find(inode, 0, false);
    }

    /**
     * As {@link #find(long)}, but gives up when {@link System#nanoTime()} reaches
     * {@code deadlineNanos}: the deadline is checked before each fd table read, so the overrun is at
     * most one table's read.
     *
     * @return the pids, empty when none holds it, null when the deadline came first
     */
    public synchronized int[] find(long inode, long deadlineNanos) throws IOException {
        return find(inode, deadlineNanos, true);
    }

    private int[] find(long inode, long deadline, boolean bounded) throws IOException {
        if (inode <= 0) {
            return NONE;
        }
        int[] h = holders.get(inode);
        if (h != null) {
            return h.clone();
        }
        Long missedIn = misses.get(inode);
        if (missedIn != null && missedIn == epoch) {
            return NONE;
        }
        boolean complete = update(deadline, bounded);
        h = holders.get(inode);
        if (h != null) {
            return h.clone();
        }
        if (!complete) {
            return null;
        }
        missRescans++;
        List<Proc> order = new ArrayList<>(procs.values());
        order.sort((a, b) -> a.discovered != b.discovered ? Long.compare(b.discovered, a.discovered)
                : Integer.compare(b.pid, a.pid));
        int budget = limits.maxRescanPerMiss();
        for (Proc p : order) {
            if (budget-- <= 0) {
                break;
            }
            if (bounded && System.nanoTime() - deadline >= 0) {
                return null;
            }
            rescan(p);
            h = holders.get(inode);
            if (h != null) {
                return h.clone();
            }
        }
        misses.put(inode, epoch);
        return NONE;
    }

    /** Number of processes tracked. */
    public synchronized int processCount() {
        return procs.size();
    }

    /** Number of distinct socket inodes tracked. */
    public synchronized int inodeCount() {
        return holders.size();
    }

    /** The counters so far. */
    public synchronized Counters counters() {
        return new Counters(fullScans, refreshes, fdTablesRead, vanished, unreadable, droppedProcesses,
                droppedInodes, missRescans);
    }

    /** What the index holds for one process, for comparing indexes in tests. */
    record Tracked(long discovered, Object fdKey, long fdSize, long fdMtime, List<Long> inodes) {}

    /** Every tracked process by pid, for comparing indexes in tests. */
    synchronized SortedMap<Integer, Tracked> tracked() {
        SortedMap<Integer, Tracked> m = new TreeMap<>();
        for (Proc p : procs.values()) {
            m.put(p.pid, new Tracked(p.discovered, p.fdKey, p.fdSize, p.fdMtime,
                    Arrays.stream(p.inodes).boxed().toList()));
        }
        return m;
    }

    /** Every inode's holders in the order they were added, for comparing indexes in tests. */
    synchronized SortedMap<Long, List<Integer>> holders() {
        SortedMap<Long, List<Integer>> m = new TreeMap<>();
        holders.forEach((inode, pids) -> m.put(inode, Arrays.stream(pids).boxed().toList()));
        return m;
    }

    /** Batches of fd entries the last parallel {@link #fullScan(int)} queued for any thread (tests). */
    synchronized int lastHandedOver() {
        return lastHandedOver;
    }

    /** Numeric entries of /proc, highest first. */
    private int[] listPids() throws IOException {
        int[] pids = new int[256];
        int n = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(proc)) {
            for (Path e : ds) {
                String name = e.getFileName().toString();
                if (ProcFiles.isPid(name)) {
                    if (n == pids.length) {
                        pids = Arrays.copyOf(pids, n * 2);
                    }
                    pids[n++] = Integer.parseInt(name);
                }
            }
        }
        Arrays.sort(pids, 0, n);
        int[] desc = new int[n];
        for (int i = 0; i < n; i++) {
            desc[i] = pids[n - 1 - i];
        }
        return desc;
    }

    private void track(int pid) {
        if (procs.size() >= limits.maxProcesses()) {
            droppedProcesses++;
            return;
        }
        Proc p = new Proc(pid, ++discoveries);
        if (rescan(p)) {
            procs.put(pid, p);
        }
    }

    /** As {@link #track(int)}, with the table read by a parallel scan. */
    private void adopt(ParallelFdScan.Table t) {
        if (procs.size() >= limits.maxProcesses()) {
            droppedProcesses++;
            return;
        }
        Proc p = new Proc(t.pid, ++discoveries);
        switch (t.outcome) {
            case VANISHED -> {
                vanished++;
                return;
            }
            case UNREADABLE -> {
                unreadable++;
                install(p, t.fileKey, t.size, t.mtimeMillis, t.inodes, 0);
            }
            case READ -> {
                fdTablesRead++;
                install(p, t.fileKey, t.size, t.mtimeMillis, t.inodes, t.count);
            }
        }
        procs.put(t.pid, p);
    }

    private boolean changed(Proc p) {
        Path fd = fdDir(p.pid);
        try {
            BasicFileAttributes a = Files.readAttributes(fd, BasicFileAttributes.class);
            return !Objects.equals(a.fileKey(), p.fdKey) || a.size() != p.fdSize
                    || a.lastModifiedTime().toMillis() != p.fdMtime;
        } catch (IOException gone) {
            return true;
        }
    }

    private Path fdDir(int pid) {
        return proc.resolve(Integer.toString(pid)).resolve("fd");
    }

    /**
     * Re-reads p's fd table and replaces its inodes; false when the process is gone. A table that
     * cannot be read (permission) is tracked empty, so it is retried only when it changes.
     */
    private boolean rescan(Proc p) {
        Path fd = fdDir(p.pid);
        int n = 0;
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(fd, BasicFileAttributes.class);
            try {
                scratch = links.read(fd); // reused by the next read: copied below
                fdTablesRead++;
                n = links.count;
            } catch (AccessDeniedException denied) {
                unreadable++;
                n = 0;
            }
        } catch (IOException gone) {
            vanished++;
            unlink(p);
            procs.remove(p.pid, p);
            return false;
        }
        install(p, a.fileKey(), a.size(), a.lastModifiedTime().toMillis(), scratch, n);
        return true;
    }

    /** Records p's fd directory attributes and replaces its inodes by the first n of {@code found}. */
    private void install(Proc p, Object fdKey, long fdSize, long fdMtime, long[] found, int n) {
        p.fdKey = fdKey;
        p.fdSize = fdSize;
        p.fdMtime = fdMtime;
        long[] inodes = Arrays.copyOf(found, n);
        Arrays.sort(inodes);
        if (!Arrays.equals(inodes, p.inodes)) {
            unlink(p);
            p.inodes = link(p.pid, inodes);
        }
    }

    /** Adds pid as a holder of each inode (as far as the cap allows); returns the inodes stored. */
    private long[] link(int pid, long[] inodes) {
        int kept = 0;
        long prev = -1;
        for (long inode : inodes) {
            if (inode == prev) {
                continue; // two fds of one socket (dup)
            }
            prev = inode;
            int[] h = holders.get(inode);
            if (h == null) {
                if (holders.size() >= limits.maxInodes()) {
                    droppedInodes++;
                    continue;
                }
                holders.put(inode, new int[] {pid});
            } else {
                int[] more = Arrays.copyOf(h, h.length + 1);
                more[h.length] = pid;
                holders.put(inode, more);
            }
            inodes[kept++] = inode;
        }
        return kept == inodes.length ? inodes : Arrays.copyOf(inodes, kept);
    }

    private void unlink(Proc p) {
        for (long inode : p.inodes) {
            int[] h = holders.get(inode);
            if (h == null) {
                continue;
            }
            if (h.length == 1) {
                if (h[0] == p.pid) {
                    holders.remove(inode);
                }
                continue;
            }
            int[] fewer = new int[h.length - 1];
            int k = 0;
            for (int pid : h) {
                if (pid != p.pid && k < fewer.length) {
                    fewer[k++] = pid;
                }
            }
            holders.put(inode, k == fewer.length ? fewer : Arrays.copyOf(fewer, k));
        }
        p.inodes = new long[0];
    }
}
