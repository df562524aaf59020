package dev.conntrace.sockets.diag;

import dev.conntrace.sockets.SocketEntry;
import java.io.IOException;

/** Receives sockets one by one as a dump decodes them. */
@FunctionalInterface
public interface SocketSink {
    /** Handles one socket; an exception stops the dump and propagates. */
    void accept(SocketEntry socket) throws IOException;
}
