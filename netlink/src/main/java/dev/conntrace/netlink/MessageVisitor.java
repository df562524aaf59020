package dev.conntrace.netlink;

import java.io.IOException;

/**
 * Receives netlink messages one by one as they are read. The {@link NetlinkMessage} is a view into
 * the socket's receive buffer, valid only during the call.
 */
@FunctionalInterface
public interface MessageVisitor {
    /**
     * Handles one message; an exception stops the dump or receive and propagates to its caller.
     */
    void visit(NetlinkMessage message) throws IOException;
}
