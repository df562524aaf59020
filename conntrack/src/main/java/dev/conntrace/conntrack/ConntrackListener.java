package dev.conntrace.conntrack;

import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A reader thread over one {@link ConntrackEvents} socket that hands events to consumers through a
 * bounded queue.
 *
 * <pre>{@code
 * try (ConntrackListener listener = ConntrackListener.start(ConntrackEvents.open(types), Config.defaults())) {
 *     while (running) {
 *         ConntrackEvent e = listener.poll(1, TimeUnit.SECONDS);
 *         switch (e) { case FlowEvent f -> ...; case Overrun o -> redump(); ... }
 *     }
 * }
 * }</pre>
 *
 * <p><b>Order.</b> One thread reads the socket and one FIFO queue carries what it read, so events
 * reach consumers in the order the kernel sent them (and so each flow's events stay in order).
 *
 * <p><b>Bounds and loss.</b> The queue holds at most {@link Config#queueCapacity()} events. When it
 * is full the {@link Config#policy()} decides: {@link OverflowPolicy#BLOCK} makes the reader wait,
 * so the kernel's queue fills and a loss comes back as {@code ENOBUFS}; {@link OverflowPolicy#DROP_NEWEST}
 * drops the event and counts it in {@link #queueDrops()}. Either way a loss reaches the consumer as
 * an {@link Overrun} in its place in the stream; an overrun is never dropped (overruns that meet a
 * full queue are merged into the next one). A loss never stops the reader.
 *
 * <p><b>Closing.</b> {@link #close()} stops the reader within about {@link Config#pollMillis()}
 * and closes the socket. A socket error other than a loss also stops the reader: {@link #failure()}
 * says why and {@link #poll} returns null once the queue is empty. Thread-safe.
 */
public final class ConntrackListener implements AutoCloseable {
    /**
     * Listener settings.
     *
     * @param queueCapacity the hand-off queue's capacity in events (1..{@value #MAX_QUEUE_CAPACITY})
     * @param policy what to do when the queue is full
     * @param pollMillis the reader's longest wait on the socket; bounds how long {@link #close()} takes
     */
    public record Config(int queueCapacity, OverflowPolicy policy, int pollMillis) {
        /** Largest accepted queue capacity. */
        public static final int MAX_QUEUE_CAPACITY = 1 << 22;

        public Config {
            if (queueCapacity < 1 || queueCapacity > MAX_QUEUE_CAPACITY) {
                throw new IllegalArgumentException("queue capacity " + queueCapacity + " outside 1.." + MAX_QUEUE_CAPACITY);
            }
            Objects.requireNonNull(policy, "policy");
            if (pollMillis < 1 || pollMillis > 10_000) {
                throw new IllegalArgumentException("poll interval " + pollMillis + " ms outside 1..10000");
            }
        }

        /** 65,536 events, {@link OverflowPolicy#BLOCK}, 50 ms. */
        public static Config defaults() {
            return new Config(1 << 16, OverflowPolicy.BLOCK, 50);
        }

        /** With another queue capacity. */
        public Config withQueueCapacity(int capacity) {
            return new Config(capacity, policy, pollMillis);
        }

        /** With another overflow policy. */
        public Config withPolicy(OverflowPolicy p) {
            return new Config(queueCapacity, p, pollMillis);
        }
    }

    private final ConntrackEvents events;
    private final Config config;
    private final BlockingQueue<ConntrackEvent> queue;
    private final Thread reader;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong queueDrops = new AtomicLong();
    private final AtomicLong overruns = new AtomicLong();
    private volatile boolean closed;
    private volatile boolean stopped;
    private volatile IOException failure;
    // Reader thread only: a loss not yet handed to the consumer, and the kernel's report if any.
    private boolean lossPending;
    private Overrun pendingOverrun;

    private ConntrackListener(ConntrackEvents events, Config config) {
        this.events = events;
        this.config = config;
        this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
        this.reader = Thread.ofPlatform().daemon().name("conntrack-events").unstarted(this::read);
    }

    /** Starts a reader over {@code events}, which it takes ownership of; only the reader uses it afterwards. */
    public static ConntrackListener start(ConntrackEvents events, Config config) {
        ConntrackListener l = new ConntrackListener(Objects.requireNonNull(events, "events"),
                Objects.requireNonNull(config, "config"));
        l.reader.start();
        return l;
    }

    /**
     * The next event, waiting up to {@code timeout}; null on timeout, or when the reader has stopped
     * and everything it read was taken.
     */
    public ConntrackEvent poll(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (true) {
            ConntrackEvent e = queue.poll(Math.min(config.pollMillis(), Math.max(0,
                    TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))), TimeUnit.MILLISECONDS);
            if (e != null || stopped && queue.isEmpty() || System.nanoTime() - deadline >= 0) {
                return e;
            }
        }
    }

    /** Events (overruns included) the reader took from the socket. */
    public long received() {
        return received.get();
    }

    /** Events the queue dropped by {@link OverflowPolicy#DROP_NEWEST}. */
    public long queueDrops() {
        return queueDrops.get();
    }

    /** Overruns the kernel reported ({@code ENOBUFS}). */
    public long kernelOverruns() {
        return overruns.get();
    }

    /** Events waiting in the queue. */
    public int queued() {
        return queue.size();
    }

    /** True once the reader has stopped (closed, or a socket error). */
    public boolean isStopped() {
        return stopped;
    }

    /** The socket error that stopped the reader, or null. */
    public IOException failure() {
        return failure;
    }

    private void read() {
        try {
            while (!closed) {
                events.receive(config.pollMillis(), this::handOff);
                if (lossPending && !closed) {
                    offerLoss(false);
                }
            }
        } catch (IOException e) {
            if (!closed) {
                failure = e;
            }
        } catch (RuntimeException e) {
            if (!closed) {
                failure = new IOException("event reader failed", e);
            }
        } finally {
            stopped = true;
            events.close();
        }
    }

    private void handOff(ConntrackEvent e) {
        received.incrementAndGet();
        if (e instanceof Overrun o) {
            overruns.incrementAndGet();
            pendingOverrun = o;
            lossPending = true;
            offerLoss(true);
            return;
        }
        if (lossPending && !offerLoss(true)) {
            drop();
            return;
        }
        if (!offer(e)) {
            drop();
        }
    }

    private void drop() {
        queueDrops.incrementAndGet();
        lossPending = true;
    }

    /** Queues the pending loss report; true when it was queued. */
    private boolean offerLoss(boolean mayBlock) {
        Overrun report = pendingOverrun != null
                ? pendingOverrun.withQueueDrops(queueDrops.get())
                : new Overrun(java.time.Instant.now(), events.lost(), -1, queueDrops.get());
        boolean queued = mayBlock ? offer(report) : queue.offer(report);
        if (queued) {
            lossPending = false;
            pendingOverrun = null;
        }
        return queued;
    }

    private boolean offer(ConntrackEvent e) {
        if (config.policy() == OverflowPolicy.DROP_NEWEST) {
            return queue.offer(e);
        }
        try {
            while (!closed) {
                if (queue.offer(e, config.pollMillis(), TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            closed = true;
        }
        return false;
    }

    /** Stops the reader (within about {@link Config#pollMillis()}) and closes the socket; idempotent. */
    @Override
    public void close() {
        closed = true;
        if (Thread.currentThread() != reader) {
            reader.interrupt();
            try {
                reader.join(Math.max(1000, 4L * config.pollMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
