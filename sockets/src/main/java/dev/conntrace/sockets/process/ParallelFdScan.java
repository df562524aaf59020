package dev.conntrace.sockets.process;

import dev.conntrace.sys.Fd;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Reads the fd tables of a list of processes with several threads and hands each table's result to
 * the calling thread in list order, so that the caller builds exactly what one thread reading the
 * tables in that order would build.
 *
 * <p>Work is split below the process: the thread that takes a table reads its directory entries
 * ({@code getdents64}, which must run in order on one descriptor) and hands each further 32 KiB
 * batch of entries to any idle thread, which reads those links ({@code readlinkat} on the shared
 * directory descriptor). So one process holding almost every descriptor still keeps every thread
 * busy. The descriptor is closed when its last batch is done.
 *
 * <p>One use per object; the calling thread is one of the scanning threads. Memory: per helper
 * thread one {@link FdLinks}; at most {@value #BATCHES_PER_THREAD} handed-over batches of 32 KiB
 * per thread (when none is free, the reader resolves its batch itself); one small object per
 * process; and the socket inodes of tables read but not yet handed to the caller (the caller takes
 * them between its own work items, in list order).
 */
final class ParallelFdScan {
    /** How a table read ended. */
    enum Outcome {
        /** Read: {@link Table#inodes} holds its socket inodes. */
        READ,
        /** Could not be read (permission): no inodes. */
        UNREADABLE,
        /** The process exited (or its table failed otherwise): not tracked. */
        VANISHED
    }

    /** Batches in flight per scanning thread. */
    static final int BATCHES_PER_THREAD = 2;

    /** How long an idle thread waits for a batch before checking whether the scan is over. */
    private static final long IDLE_WAIT_MICROS = 500;

    private static final long[] NO_INODES = new long[0];

    /** One process's fd table: written by the threads that read it, final once {@link #complete}. */
    static final class Table {
        final int pid;
        Outcome outcome = Outcome.READ;
        Object fileKey;
        long size;
        long mtimeMillis;
        /** The socket inodes found (unsorted, possibly repeated); the first {@link #count} count. */
        long[] inodes = NO_INODES;
        int count;
        private Fd dir;
        private int pending;
        private volatile boolean complete;

        Table(int pid) {
            this.pid = pid;
        }

        private synchronized void add(long[] found, int n) {
            if (count + n > inodes.length) {
                inodes = Arrays.copyOf(inodes, Math.max(count + n, inodes.length * 2));
            }
            System.arraycopy(found, 0, inodes, count, n);
            count += n;
        }

        private synchronized void hold() {
            pending++;
        }

        /** True when this released the last hold. */
        private synchronized boolean release() {
            return --pending == 0;
        }
    }

    private record Batch(Table table, byte[] bytes, int length) {}

    private final Path proc;
    private final Table[] tables;
    private final int threads;
    private final ArrayBlockingQueue<Batch> ready;
    private final ArrayBlockingQueue<byte[]> free;
    private final AtomicInteger buffersMade = new AtomicInteger();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger claimed = new AtomicInteger();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger handedOver = new AtomicInteger();
    private volatile boolean abort;
    private volatile Throwable failure;
    private int merged; // caller thread only

    private ParallelFdScan(Path proc, int[] pids, int threads) {
        this.proc = proc;
        this.threads = threads;
        this.tables = new Table[pids.length];
        for (int i = 0; i < pids.length; i++) {
            tables[i] = new Table(pids[i]);
        }
        int buffers = BATCHES_PER_THREAD * threads;
        this.ready = new ArrayBlockingQueue<>(buffers);
        this.free = new ArrayBlockingQueue<>(buffers);
    }

    /**
     * Reads the fd tables of {@code pids} under {@code proc} with {@code threads} threads (the
     * caller's among them) and passes each to {@code inOrder} on the calling thread, in the order of
     * {@code pids}. A table passed on is not used again by the scan.
     *
     * @param links the calling thread's reader
     * @return how many batches of entries were queued for whichever thread is free
     * @throws InterruptedIOException when the calling thread is interrupted (some tables are then not
     *     passed on)
     */
    static int scan(Path proc, int[] pids, int threads, FdLinks links, Consumer<Table> inOrder)
            throws IOException {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive: " + threads);
        }
        ParallelFdScan scan = new ParallelFdScan(proc, pids, threads);
        scan.run(links, inOrder);
        return scan.handedOver.get();
    }

    private void run(FdLinks links, Consumer<Table> inOrder) throws IOException {
        int helpers = Math.min(threads - 1, tables.length);
        List<Thread> started = new ArrayList<>(helpers);
        boolean interrupted = false;
        try {
            for (int k = 0; k < helpers; k++) {
                started.add(Thread.ofPlatform().name("conntrace-fd-scan-" + (k + 1)).daemon(true)
                        .start(() -> work(new FdLinks(), null)));
            }
            interrupted = work(links, inOrder);
        } finally {
            abort |= interrupted || failure != null;
            for (Thread t : started) {
                while (true) {
                    try {
                        t.join();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                        abort = true;
                    }
                }
            }
        }
        if (failure == null && !interrupted) {
            mergeReady(inOrder);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        switch (failure) {
            case null -> { }
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            default -> throw new IllegalStateException(failure);
        }
        if (interrupted) {
            throw new InterruptedIOException("fd scan interrupted after " + merged + " of " + tables.length
                    + " processes");
        }
    }

    /**
     * Takes batches, then tables, until every table taken is complete; the caller's thread (with
     * {@code inOrder}) also passes on the tables complete so far. Returns whether it was interrupted.
     */
    private boolean work(FdLinks links, Consumer<Table> inOrder) {
        boolean interrupted = false;
        while (true) {
            try {
                Batch b = ready.poll();
                if (b != null) {
                    resolve(links, b);
                } else if (!abort && next.get() < tables.length) {
                    int i = next.getAndIncrement();
                    if (i < tables.length) {
                        claimed.incrementAndGet();
                        read(links, tables[i]);
                    }
                } else if (done.get() >= claimed.get()) {
                    return interrupted;
                } else {
                    try {
                        b = ready.poll(IDLE_WAIT_MICROS, TimeUnit.MICROSECONDS);
                    } catch (InterruptedException e) {
                        interrupted = true;
                        abort = true; // finish the tables taken (closing their descriptors), take no more
                    }
                    if (b != null) {
                        resolve(links, b);
                    }
                }
                if (inOrder != null && !abort) {
                    mergeReady(inOrder);
                }
            } catch (RuntimeException | Error e) { // recorded, rethrown by the caller once every descriptor is closed
                if (failure == null) {
                    failure = e;
                }
                abort = true;
            }
        }
    }

    /** Passes on the complete tables at the head of the list (caller's thread only). */
    private void mergeReady(Consumer<Table> inOrder) {
        while (merged < tables.length && tables[merged].complete) {
            Table t = tables[merged];
            tables[merged++] = null; // its inodes are the caller's now
            inOrder.accept(t);
        }
    }

    /** Reads one table's attributes and entries; hands entry batches to idle threads when it can. */
    private void read(FdLinks links, Table t) {
        Path fd = proc.resolve(Integer.toString(t.pid)).resolve("fd");
        t.hold(); // the reader's own hold keeps the descriptor open while it reads entries
        try {
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(fd, BasicFileAttributes.class);
            } catch (IOException gone) {
                t.outcome = Outcome.VANISHED;
                return;
            }
            t.fileKey = a.fileKey();
            t.size = a.size();
            t.mtimeMillis = a.lastModifiedTime().toMillis();
            try {
                Fd dir = FdLinks.open(fd);
                t.dir = dir; // before any batch is queued: the queue publishes it
                links.clear();
                boolean first = true;
                int n;
                while (!abort && (n = links.fill(dir, fd)) > 0) {
                    byte[] copy = first ? null : buffer(); // the first batch is often the only one
                    first = false;
                    if (copy == null) {
                        links.resolve(dir, links.records(), n);
                    } else {
                        System.arraycopy(links.records(), 0, copy, 0, n);
                        t.hold();
                        ready.add(new Batch(t, copy, n)); // never full: no more batches than buffers
                        handedOver.incrementAndGet();
                    }
                }
                t.add(links.inodes(), links.count);
            } catch (AccessDeniedException denied) {
                t.outcome = Outcome.UNREADABLE;
            } catch (IOException gone) {
                t.outcome = Outcome.VANISHED;
            }
        } finally {
            release(t);
        }
    }

    private void resolve(FdLinks links, Batch b) {
        try {
            if (!abort) {
                links.clear();
                links.resolve(b.table.dir, b.bytes, b.length);
                b.table.add(links.inodes(), links.count);
            }
        } finally {
            free.offer(b.bytes);
            release(b.table);
        }
    }

    /** A free batch buffer, or null when all are in flight. */
    private byte[] buffer() {
        byte[] b = free.poll();
        int cap = BATCHES_PER_THREAD * threads;
        if (b == null && buffersMade.get() < cap && buffersMade.getAndIncrement() < cap) {
            b = new byte[FdLinks.batchSize()];
        }
        return b;
    }

    private void release(Table t) {
        if (t.release()) {
            if (t.dir != null) {
                t.dir.close();
            }
            t.complete = true;
            done.incrementAndGet();
        }
    }
}
