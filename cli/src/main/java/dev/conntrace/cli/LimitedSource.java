package dev.conntrace.cli;

import dev.conntrace.packet.PacketSource;
import java.io.IOException;

/** A packet source that ends after a number of packets (0: never); closing it leaves the inner source open. */
final class LimitedSource extends ForwardingSource {
    private final long limit;
    private long read;

    LimitedSource(PacketSource inner, long limit) {
        super(inner);
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
}
