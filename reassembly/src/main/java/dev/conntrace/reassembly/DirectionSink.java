package dev.conntrace.reassembly;

import java.io.IOException;

/** Receives the bytes of one direction, gaps already zero-filled, for {@link SummarizingStreamFactory}. */
public interface DirectionSink extends AutoCloseable {
    /** Writes {@code buf[offset..offset+length)}; the array is reused after the call. */
    void write(byte[] buf, int offset, int length) throws IOException;

    @Override
    void close() throws IOException;

    /** Opens the sink of a direction when its first bytes arrive. */
    @FunctionalInterface
    interface Opener {
        DirectionSink open(Connection connection, StreamHalf half) throws IOException;
    }
}
