package dev.conntrace.reassembly;

/** Makes the {@link Stream} of each new connection. Called under the pool's creation path, possibly from several assemblers. */
@FunctionalInterface
public interface StreamFactory {
    /** A stream for {@code connection}, whose first segment is {@code first} (valid only during the call). */
    Stream newStream(Connection connection, TcpSegment first);
}
