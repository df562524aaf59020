package dev.conntrace.sys;

import java.io.IOException;
import java.io.Serial;

/**
 * A failed system call: the one exception type of {@code sys}. It carries the operation ("recvmsg"),
 * the errno number and its name; callers match on {@link #errno()}, never on the message.
 *
 * <p>It is checked (an {@link IOException}) because every failure it reports is an I/O condition
 * the caller may have to handle: a full receive queue ({@code ENOBUFS}), a missing privilege
 * ({@code EPERM}), a namespace that vanished ({@code ENOENT}).
 */
public class SysException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String operation;
    private final int errno;

    /** A failure of {@code operation} with {@code errno}; the message is "operation: NAME (description)". */
    public SysException(String operation, int errno) {
        this(operation, errno, null);
    }

    /** As {@link #SysException(String, int)} with extra {@code detail} (a path, a size) appended to the message. */
    public SysException(String operation, int errno, String detail) {
        super(operation + ": " + Errno.name(errno) + " (" + Errno.description(errno) + ")"
                + (detail == null || detail.isEmpty() ? "" : ": " + detail));
        this.operation = operation;
        this.errno = errno;
    }

    /** The call that failed, e.g. "setsockopt(SO_RCVBUFFORCE)". */
    public String operation() {
        return operation;
    }

    /** The errno number, e.g. 105 for ENOBUFS. */
    public int errno() {
        return errno;
    }

    /** The errno's symbolic name, e.g. "ENOBUFS". */
    public String errnoName() {
        return Errno.name(errno);
    }

    /** True when this failure's errno is {@code errno}. */
    public boolean is(int errno) {
        return this.errno == errno;
    }
}
