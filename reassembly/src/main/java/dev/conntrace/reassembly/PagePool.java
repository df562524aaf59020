package dev.conntrace.reassembly;

import java.util.ArrayDeque;

/**
 * Free pages of one assembler (single thread). Holds at most {@code maxIdle} free pages; {@link #shrink()}
 * halves the idle set so a burst does not pin memory forever. Memory in use is accounted by the
 * {@link StreamPool}'s budget, not here.
 */
final class PagePool {
    private final int pageSize;
    private final int maxIdle;
    private final ArrayDeque<Page> free = new ArrayDeque<>();
    private long allocated;
    private long released;

    PagePool(int pageSize, int maxIdle) {
        this.pageSize = pageSize;
        this.maxIdle = maxIdle;
    }

    int pageSize() {
        return pageSize;
    }

    Page take() {
        Page p = free.pollLast();
        if (p == null) {
            allocated++;
            p = new Page(pageSize);
        }
        return p;
    }

    void give(Page p) {
        if (free.size() < maxIdle) {
            free.addLast(p);
        } else {
            released++;
        }
    }

    /** Releases half of the idle pages (the longest idle first). */
    void shrink() {
        int drop = free.size() / 2;
        for (int i = 0; i < drop; i++) {
            free.pollFirst();
            released++;
        }
    }

    int idle() {
        return free.size();
    }

    long allocated() {
        return allocated;
    }

    long released() {
        return released;
    }
}
