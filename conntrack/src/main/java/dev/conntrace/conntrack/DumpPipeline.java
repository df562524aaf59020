package dev.conntrace.conntrack;

import dev.conntrace.netlink.DumpResult;
import dev.conntrace.netlink.MessageBuilder;
import dev.conntrace.netlink.MessageCursor;
import dev.conntrace.netlink.MessageVisitor;
import dev.conntrace.netlink.NetlinkMessage;
import dev.conntrace.netlink.NetlinkSocket;
import dev.conntrace.sys.Threads;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs a dump's receive loop on a second thread while the calling thread decodes and consumes: the
 * kernel's work (done inside {@code recv}) overlaps the decoding of what it already sent.
 *
 * <p>The receiving thread copies each reply message into one of at most {@link #CHUNKS} chunks of
 * {@link #CHUNK_BYTES} bytes and hands full chunks over; the caller walks them and gives the chunks
 * back. So at most {@code CHUNKS × CHUNK_BYTES} (1 MiB) of messages are in flight, and the kernel
 * waits when the consumer is slower (back-pressure). The caller's visitor runs on the caller's thread
 * only; the socket is used by the receiving thread only between the start of the dump and its end,
 * which {@link #dump} waits for before it returns or throws. Not thread-safe; one per socket.
 */
final class DumpPipeline {
    /** Bytes per chunk; a message larger than this gets a chunk of its own size. */
    static final int CHUNK_BYTES = 128 << 10;
    /** Chunks in flight at most. */
    static final int CHUNKS = 8;

    private static final long POLL_MILLIS = 50;

    private final NetlinkSocket socket;
    private final BlockingQueue<Chunk> free = new ArrayBlockingQueue<>(CHUNKS);
    private int created;

    DumpPipeline(NetlinkSocket socket) {
        this.socket = socket;
    }

    /** A chunk of copied messages, or the end of the dump (then {@code result} or {@code failure}). */
    private static final class Chunk {
        final MemorySegment bytes;
        int used;
        final boolean end;
        final DumpResult result;
        final Throwable failure;

        Chunk(int capacity) {
            // Native like the socket's read buffer, so that the decoder's segment accesses see one
            // kind of segment; freed by the collector with the chunk.
            bytes = Arena.ofAuto().allocate(capacity, 8);
            end = false;
            result = null;
            failure = null;
        }

        Chunk(DumpResult result, Throwable failure) {
            bytes = MemorySegment.NULL;
            end = true;
            this.result = result;
            this.failure = failure;
        }
    }

    /** Thrown inside the receiving thread to stop the dump once the caller gave up. */
    private static final class Cancelled extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Cancelled() {
            super("dump cancelled by its consumer", null, false, false);
        }
    }

    /**
     * Sends {@code request} as a dump and hands every reply message to {@code visitor} on the calling
     * thread, in order.
     */
    DumpResult dump(String operation, MessageBuilder request, MessageVisitor visitor) throws IOException {
        BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(CHUNKS + 1);
        Receiver receiver = new Receiver(operation, request, full);
        Thread thread = Thread.ofPlatform().name("conntrack-dump-recv").daemon().start(receiver);
        MessageCursor messages = new MessageCursor();
        boolean done = false;
        try {
            while (true) {
                Chunk c = full.take();
                if (c.end) {
                    done = true;
                    return finish(c);
                }
                messages.reset(c.bytes, 0, c.used);
                while (messages.next()) {
                    visitor.visit(messages.message());
                }
                recycle(c);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(operation + " interrupted");
        } finally {
            if (!done) {
                receiver.cancelled = true;
            }
            Threads.joinUninterruptibly(thread);
            // Chunks a cancelled receiver had filled go back for the next dump.
            recycle(receiver.current);
            for (Chunk c; (c = full.poll()) != null; ) {
                recycle(c);
            }
        }
    }

    /** Gives a chunk back for reuse; an odd-sized one (for an oversized message) is dropped. */
    private void recycle(Chunk c) {
        if (c != null && !c.end && c.bytes.byteSize() == CHUNK_BYTES) {
            c.used = 0;
            free.offer(c);
        }
    }

    private static DumpResult finish(Chunk end) throws IOException {
        Throwable f = end.failure;
        if (f == null) {
            return end.result;
        }
        if (f instanceof IOException e) {
            throw e;
        }
        if (f instanceof RuntimeException e) {
            throw e;
        }
        if (f instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(f);
    }

    /** The receiving side: runs the socket's dump loop and copies each message into a chunk. */
    private final class Receiver implements Runnable, MessageVisitor {
        private final String operation;
        private final MessageBuilder request;
        private final BlockingQueue<Chunk> full;
        volatile boolean cancelled;
        private Chunk current;

        Receiver(String operation, MessageBuilder request, BlockingQueue<Chunk> full) {
            this.operation = operation;
            this.request = request;
            this.full = full;
        }

        @Override
        public void run() {
            Chunk end;
            try {
                DumpResult r = socket.dump(operation, request, this);
                handOver();
                end = new Chunk(r, null);
            } catch (Throwable e) { // handed to the caller, who rethrows it
                end = new Chunk(null, e);
            }
            // The caller takes until the end unless it gave up (then it reads nothing more).
            try {
                while (!full.offer(end, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                    if (cancelled) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void visit(NetlinkMessage message) throws IOException {
            int length = message.length();
            if (current == null || current.bytes.byteSize() - current.used < length) {
                handOver();
                current = take(length);
            }
            MemorySegment.copy(message.segment(), message.offset(), current.bytes, current.used, length);
            // Messages are packed 4-byte aligned, as in a datagram.
            current.used += (length + 3) & ~3;
            if (current.used > current.bytes.byteSize()) {
                current.used = (int) current.bytes.byteSize();
            }
        }

        private void handOver() throws InterruptedIOException {
            if (current != null && current.used > 0) {
                try {
                    while (!full.offer(current, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                        checkCancelled();
                    }
                } catch (InterruptedException e) {
                    throw new InterruptedIOException(operation + " interrupted");
                }
                current = null;
            }
        }

        private Chunk take(int length) throws InterruptedIOException {
            if (length > CHUNK_BYTES) {
                return new Chunk(length + 3 & ~3);
            }
            try {
                while (true) {
                    checkCancelled();
                    Chunk c = free.poll();
                    if (c != null) {
                        return c;
                    }
                    if (created < CHUNKS) { // only the receiving thread of the one running dump counts
                        created++;
                        return new Chunk(CHUNK_BYTES);
                    }
                    c = free.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                    if (c != null) {
                        return c;
                    }
                }
            } catch (InterruptedException e) {
                throw new InterruptedIOException(operation + " interrupted");
            }
        }

        private void checkCancelled() {
            if (cancelled) {
                throw new Cancelled();
            }
        }
    }
}
