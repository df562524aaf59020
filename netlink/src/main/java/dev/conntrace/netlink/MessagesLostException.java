package dev.conntrace.netlink;

import dev.conntrace.sys.Errno;
import java.io.Serial;

/**
 * The socket's receive queue overflowed ({@code ENOBUFS} from {@code recvmsg}): the kernel dropped
 * messages — typically multicast events — that can never be recovered. The socket stays usable;
 * the caller should count the loss and repair its state (for conntrack: dump again and reconcile).
 */
public class MessagesLostException extends NetlinkException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** A loss reported by {@code operation}. */
    public MessagesLostException(String operation, Throwable cause) {
        super(operation, Errno.ENOBUFS, 0, "", NO_OFFSET, cause);
    }
}
