package dev.conntrace.reassembly;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * Streams that hash each direction (SHA-256, gaps as zero bytes so an offset in the output is the stream
 * offset; missing bytes at the very end, followed by no data, are counted but not written, as tshark and
 * tcpflow do), optionally write it to a {@link DirectionSink}, and report a {@link DirectionSummary} per
 * direction (client to server first) for each connection, in the order connections complete.
 *
 * <p>With {@code hashThreads > 0}, hashing and writing run on that many worker threads: the assembler's
 * thread copies delivered bytes into batches (at most {@value #BATCHES_PER_WORKER} batches of
 * {@value #BATCH_BYTES} bytes per worker, so memory is bounded and a slow worker slows the reader), each
 * direction always going to the same worker so its bytes stay in order. Summaries are then handed to
 * the consumer from a worker thread, one at a time, still in completion order; {@link #close()} waits
 * for all of them. With 0 threads everything runs on the caller's thread.
 *
 * <p>One factory serves one assembler thread.
 */
public final class SummarizingStreamFactory implements StreamFactory, AutoCloseable {
    static final int BATCH_BYTES = 1 << 20;
    static final int BATCH_ENTRIES = 4096;
    static final int BATCHES_PER_WORKER = 4;
    private static final int ZEROS = 64 * 1024;
    private static final int DATA = 0;
    private static final int ZERO_FILL = 1;
    private static final int CLOSE_SINK = 2;
    private static final int FINISH = 3;

    private final Consumer<DirectionSummary> out;
    private final DirectionSink.Opener sinks;
    private final Worker[] workers;
    private final Batch inline;
    private final byte[] zeros = new byte[ZEROS];
    private final Object emitLock = new Object();
    private final TreeMap<Long, Report> ready = new TreeMap<>();
    private long nextTicket;
    private long nextToEmit;
    private volatile Throwable failure;
    private boolean closed;

    /** Hashes on the caller's thread. */
    public SummarizingStreamFactory(Consumer<DirectionSummary> out, DirectionSink.Opener sinks) {
        this(out, sinks, 0);
    }

    /**
     * @param sinks opens a sink per direction (on the assembler's thread; written and closed on a worker), or null
     * @param hashThreads worker threads for hashing and writing; 0 for none
     */
    public SummarizingStreamFactory(Consumer<DirectionSummary> out, DirectionSink.Opener sinks, int hashThreads) {
        if (hashThreads < 0 || hashThreads > 64) {
            throw new IllegalArgumentException("hashThreads " + hashThreads + " outside [0, 64]");
        }
        this.out = out;
        this.sinks = sinks;
        this.workers = new Worker[hashThreads];
        for (int i = 0; i < hashThreads; i++) {
            workers[i] = new Worker(i);
        }
        this.inline = hashThreads == 0 ? new Batch() : null;
    }

    @Override
    public Stream newStream(Connection connection, TcpSegment first) {
        return new Summary(connection);
    }

    /** Finishes pending work and stops the workers; rethrows the first failure of a worker. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Worker w : workers) {
            w.handOver();
            w.stop();
        }
        for (Worker w : workers) {
            try {
                w.thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while finishing hashes", e);
            }
        }
        rethrow();
    }

    private void rethrow() {
        Throwable t = failure;
        if (t instanceof UncheckedIOException u) {
            throw u;
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    /** Per direction: its digest and sink (used by one worker) and its deferred zeros (assembler thread). */
    private static final class Dir {
        final MessageDigest digest = sha256();
        final int worker;
        DirectionSink sink;
        long pendingZeros;

        Dir(int worker) {
            this.worker = worker;
        }
    }

    /** Both directions' summaries of a connection, waiting for their digests. */
    private static final class Report {
        final long ticket;
        final DirectionSummary[] summaries = new DirectionSummary[2];
        int remaining = 2;

        Report(long ticket) {
            this.ticket = ticket;
        }
    }

    /** A run of work items for one worker: bytes copied into one array, and what to do with them. */
    private static final class Batch {
        final byte[] bytes = new byte[BATCH_BYTES];
        final MemorySegment segment = MemorySegment.ofArray(bytes);
        int fill;
        final Dir[] dirs = new Dir[BATCH_ENTRIES];
        final int[] kinds = new int[BATCH_ENTRIES];
        final int[] offsets = new int[BATCH_ENTRIES];
        final long[] lengths = new long[BATCH_ENTRIES];
        final Report[] reports = new Report[BATCH_ENTRIES];
        final int[] slots = new int[BATCH_ENTRIES];
        int count;

        boolean fits(int n) {
            return count < BATCH_ENTRIES && fill + n <= BATCH_BYTES;
        }

        void clear() {
            java.util.Arrays.fill(dirs, 0, count, null);
            java.util.Arrays.fill(reports, 0, count, null);
            count = 0;
            fill = 0;
        }
    }

    private Batch batchFor(Dir d, int bytes) {
        if (inline != null) {
            return inline;
        }
        Worker w = workers[d.worker];
        if (!w.current.fits(bytes)) {
            w.handOver();
        }
        return w.current;
    }

    private void add(Dir d, int kind, int offset, long length, Report report, int slot) {
        Batch b = inline != null ? inline : workers[d.worker].current;
        int i = b.count++;
        b.dirs[i] = d;
        b.kinds[i] = kind;
        b.offsets[i] = offset;
        b.lengths[i] = length;
        b.reports[i] = report;
        b.slots[i] = slot;
        if (inline != null) {
            run(inline);
            inline.clear();
        }
    }

    /** Executes a batch's items in order (on a worker, or inline). */
    private void run(Batch b) {
        for (int i = 0; i < b.count; i++) {
            Dir d = b.dirs[i];
            try {
                switch (b.kinds[i]) {
                    case DATA -> {
                        d.digest.update(b.bytes, b.offsets[i], (int) b.lengths[i]);
                        if (d.sink != null) {
                            d.sink.write(b.bytes, b.offsets[i], (int) b.lengths[i]);
                        }
                    }
                    case ZERO_FILL -> {
                        for (long gap = b.lengths[i]; gap > 0; ) {
                            int n = (int) Math.min(gap, ZEROS);
                            d.digest.update(zeros, 0, n);
                            if (d.sink != null) {
                                d.sink.write(zeros, 0, n);
                            }
                            gap -= n;
                        }
                    }
                    case CLOSE_SINK -> {
                        if (d.sink != null) {
                            d.sink.close();
                            d.sink = null;
                        }
                    }
                    case FINISH -> finish(b.reports[i], b.slots[i], HexFormat.of().formatHex(d.digest.digest()));
                    default -> throw new AssertionError();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void finish(Report r, int slot, String sha) {
        synchronized (emitLock) {
            DirectionSummary s = r.summaries[slot];
            r.summaries[slot] = new DirectionSummary(s.stream(), s.direction(), s.src(), s.srcPort(), s.dst(), s.dstPort(),
                    s.packets(), s.firstNanos(), s.lastNanos(), s.bytes(), s.missing(), s.overlap(), s.lateBytes(),
                    s.badChecksum(), sha, s.end());
            if (--r.remaining > 0) {
                return;
            }
            ready.put(r.ticket, r);
            while (!ready.isEmpty() && ready.firstKey() == nextToEmit) {
                Report next = ready.pollFirstEntry().getValue();
                out.accept(next.summaries[0]);
                out.accept(next.summaries[1]);
                nextToEmit++;
            }
        }
    }

    /** A hashing thread with a bounded set of batches. */
    private final class Worker {
        private final Object stop = new Object();
        final BlockingQueue<Object> full = new ArrayBlockingQueue<>(BATCHES_PER_WORKER + 1);
        final BlockingQueue<Batch> empty = new ArrayBlockingQueue<>(BATCHES_PER_WORKER);
        final Thread thread;
        Batch current;

        Worker(int index) {
            for (int i = 0; i < BATCHES_PER_WORKER - 1; i++) {
                empty.add(new Batch());
            }
            current = new Batch();
            thread = Thread.ofPlatform().name("conntrace-hash-" + index).daemon(true).start(this::loop);
        }

        void stop() {
            put(stop);
        }

        private void put(Object o) {
            try {
                full.put(o);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }

        /** Gives the current batch to the thread and takes an empty one (waiting if all are busy). */
        void handOver() {
            rethrow();
            if (current.count == 0) {
                return;
            }
            put(current);
            try {
                current = empty.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            rethrow();
        }

        private void loop() {
            try {
                while (true) {
                    Object o = full.take();
                    if (o == stop) {
                        return;
                    }
                    Batch b = (Batch) o;
                    if (failure == null) {
                        try {
                            run(b);
                        } catch (Throwable t) {
                            failure = t;
                        }
                    }
                    b.clear();
                    empty.put(b);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private final class Summary implements Stream {
        private final Connection connection;
        private final Dir[] dirs = new Dir[2];

        Summary(Connection connection) {
            this.connection = connection;
        }

        private Dir dir(StreamHalf h) {
            Dir d = dirs[h.side];
            if (d == null) {
                int w = workers.length == 0 ? 0 : (int) Math.floorMod(connection.index() * 2 + h.side, (long) workers.length);
                d = dirs[h.side] = new Dir(w);
            }
            return d;
        }

        @Override
        public void reassembled(ScatterGather sg) {
            Dir d = dir(sg.half());
            d.pendingZeros += sg.skip();
            int from = sg.keptLength();
            int total = sg.length();
            if (from >= total) {
                return;
            }
            try {
                if (d.sink == null && sinks != null) {
                    d.sink = sinks.open(connection, sg.half());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (d.pendingZeros > 0) {
                batchFor(d, 0);
                add(d, ZERO_FILL, 0, d.pendingZeros, null, 0);
                d.pendingZeros = 0;
            }
            while (from < total) {
                int n = Math.min(total - from, BATCH_BYTES);
                Batch b = batchFor(d, n);
                sg.copyTo(from, b.segment, b.fill, n);
                int at = b.fill;
                b.fill += n;
                add(d, DATA, at, n, null, 0);
                from += n;
            }
        }

        @Override
        public void halfClosed(StreamHalf half, EndReason reason) {
            Dir d = dirs[half.side];
            if (d != null && d.sink != null) {
                batchFor(d, 0);
                add(d, CLOSE_SINK, 0, 0, null, 0);
            }
        }

        @Override
        public void completed(Connection c) {
            Report r;
            synchronized (emitLock) {
                r = new Report(nextTicket++);
            }
            StreamHalf[] halves = {c.clientToServer(), c.serverToClient()};
            for (int slot = 0; slot < 2; slot++) {
                StreamHalf h = halves[slot];
                long first = h.firstNanos() == Long.MIN_VALUE ? connection.firstNanos() : h.firstNanos();
                long last = h.lastNanos() == Long.MIN_VALUE ? connection.firstNanos() : h.lastNanos();
                r.summaries[slot] = new DirectionSummary(connection.index(), h.direction(), h.src(), h.srcPort(), h.dst(),
                        h.dstPort(), h.packets(), first, last, h.bytes(), h.missing(), h.overlap(), h.lateBytes(),
                        h.badChecksum(), null, h.endReason());
            }
            for (int slot = 0; slot < 2; slot++) {
                Dir d = dir(halves[slot]);
                batchFor(d, 0);
                add(d, FINISH, 0, 0, r, slot);
            }
        }
    }
}
