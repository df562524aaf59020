package dev.conntrace.cli;

import dev.conntrace.packet.PacketSource;
import java.io.IOException;
import java.lang.foreign.MemorySegment;

/** A packet source that ends after a number of packets (0: never); closing it leaves the inner source open. */
final class LimitedSource implements PacketSource {
    private final PacketSource inner;
    private final long limit;
    private long read;

    LimitedSource(PacketSource inner, long limit) {
        this.inner = inner;
        this.limit = limit;
    }

    @Override
    public boolean next() throws IOException {
        if (limit > 0 && read >= limit) {
            return false;
        }
        if (!inner.next()) {
            return false;
        }
        read++;
        return true;
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
    public String name() {
        return inner.name();
    }

    @Override
    public void close() {
        // the owner closes the inner source
    }
}
