package dev.conntrace.reassembly;

import java.lang.foreign.MemorySegment;

/** A fixed-size buffer page; its segment view is made once so handing it out allocates nothing. */
final class Page {
    final byte[] data;
    final MemorySegment segment;

    Page(int size) {
        this.data = new byte[size];
        this.segment = MemorySegment.ofArray(data);
    }
}
