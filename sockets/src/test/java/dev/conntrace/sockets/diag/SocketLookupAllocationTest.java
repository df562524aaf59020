package dev.conntrace.sockets.diag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.sockets.FiveTuple;
import dev.conntrace.sys.testing.Prerequisites;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A repeated tuple allocates nothing: the heap bytes this thread allocates over many cache hits
 * ({@code com.sun.management.ThreadMXBean}) stay under a small constant, not a per-call amount.
 */
class SocketLookupAllocationTest {
    private static final int CALLS = 200_000;
    /** Room for what the JVM itself may allocate on this thread meanwhile (a class loaded, a JIT-related stub). */
    private static final long SLACK_BYTES = 16 * 1024;

    private static final com.sun.management.ThreadMXBean THREADS = threads();

    private static com.sun.management.ThreadMXBean threads() {
        return ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t ? t : null;
    }

    private static long allocated() {
        return THREADS.getThreadAllocatedBytes(Thread.currentThread().threadId());
    }

    @Test
    void cacheHitsAllocateNothing() throws Exception {
        Prerequisites.require(THREADS != null && THREADS.isThreadAllocatedMemorySupported(),
                "this JVM does not measure a thread's allocated bytes");
        THREADS.setThreadAllocatedMemoryEnabled(true);
        SocketLookup l = SocketLookupCacheTest.lookup(new SocketLookupCacheTest.EverySocket(), Duration.ofMinutes(10),
                4096);
        FiveTuple[] tuples = new FiveTuple[1000];
        for (int i = 0; i < tuples.length; i++) {
            tuples[i] = SocketLookupCacheTest.outgoing(i + 1);
        }
        LookupResult one = l.lookup(tuples[0], false, SocketLookup.Mode.FAST);
        for (FiveTuple t : tuples) {
            l.lookup(t, true, SocketLookup.Mode.FAST);
        }
        hits(l, tuples, CALLS); // warm: the interpreter's first runs and compilation are not measured
        allocated(); // the measuring call's own first-use costs

        long before = allocated();
        long sameTupleHits = l.cacheHits();
        for (int i = 0; i < CALLS; i++) {
            if (l.lookup(tuples[0], false, SocketLookup.Mode.FAST) != one) {
                throw new AssertionError("call " + i + " did not return the cached result");
            }
        }
        long oneTuple = allocated() - before;
        assertThat(l.cacheHits() - sameTupleHits).isEqualTo(CALLS);

        before = allocated();
        hits(l, tuples, CALLS);
        long manyTuples = allocated() - before;

        assertThat(oneTuple).as("bytes allocated by %d hits of one tuple", CALLS).isLessThan(SLACK_BYTES);
        assertThat(manyTuples).as("bytes allocated by %d hits cycling over %d tuples", CALLS, tuples.length)
                .isLessThan(SLACK_BYTES);
    }

    private static void hits(SocketLookup l, FiveTuple[] tuples, int calls) throws Exception {
        long hits = l.cacheHits();
        for (int i = 0; i < calls; i++) {
            l.lookup(tuples[i % tuples.length], true, SocketLookup.Mode.FAST);
        }
        if (l.cacheHits() - hits != calls) {
            throw new AssertionError("not every call was a cache hit");
        }
    }
}
