package dev.conntrace.cli;

import dev.conntrace.packet.PacketSource;
import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * A packet source that hands every question to another: a base for sources that only change which
 * packets {@link #next()} stops at. Closing it closes nothing; the owner closes the inner source unless a
 * subclass says otherwise.
 */
abstract class ForwardingSource implements PacketSource {
    final PacketSource inner;

    ForwardingSource(PacketSource inner) {
        this.inner = inner;
    }

    @Override
    public boolean next() throws IOException {
        return inner.next();
    }

    @Override
    public long timestampNanos() {
        return inner.timestampNanos();
    }

    @Override
    public boolean hasTimestamp() {
        return inner.hasTimestamp();
    }

    @Override
    public int linkType() {
        return inner.linkType();
    }

    @Override
    public int captureLength() {
        return inner.captureLength();
    }

    @Override
    public int originalLength() {
        return inner.originalLength();
    }

    @Override
    public MemorySegment data() {
        return inner.data();
    }

    @Override
    public long dataOffset() {
        return inner.dataOffset();
    }

    @Override
    public long packetIndex() {
        return inner.packetIndex();
    }

    @Override
    public int interfaceId() {
        return inner.interfaceId();
    }

    @Override
    public long truncatedTail() {
        return inner.truncatedTail();
    }

    @Override
    public String truncationWarning() {
        return inner.truncationWarning();
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void close() throws IOException {
        // the owner closes the inner source
    }
}
