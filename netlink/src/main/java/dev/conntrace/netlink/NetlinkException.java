package dev.conntrace.netlink;

import dev.conntrace.sys.Errno;
import java.io.IOException;
import java.io.Serial;

/**
 * A failed kernel operation over netlink — the one error type of this layer. It carries the
 * operation, the errno (number and name), the request's sequence number and, when the kernel sent an
 * extended ACK, its message ({@code NLMSGERR_ATTR_MSG}) and the offset of the offending byte in the
 * request ({@code NLMSGERR_ATTR_OFFS}). Callers match on {@link #errno()}, never on the text.
 *
 * <p>Failed system calls on the socket ({@code recvmsg}, {@code setsockopt}) are reported with
 * this type too, their {@link dev.conntrace.sys.SysException} as the cause.
 */
public class NetlinkException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** {@link #extAckOffset()} when the kernel sent no offset. */
    public static final int NO_OFFSET = -1;

    private final String operation;
    private final int errno;
    private final int sequence;
    private final String extAckMessage;
    private final int extAckOffset;

    /**
     * A failure of {@code operation} with {@code errno} for the request numbered {@code sequence};
     * {@code extAckMessage} may be empty and {@code extAckOffset} {@link #NO_OFFSET}.
     */
    public NetlinkException(String operation, int errno, int sequence, String extAckMessage, int extAckOffset) {
        this(operation, errno, sequence, extAckMessage, extAckOffset, null);
    }

    /** As the five-argument constructor, with a cause. */
    public NetlinkException(String operation, int errno, int sequence, String extAckMessage, int extAckOffset,
                            Throwable cause) {
        super(message(operation, errno, sequence, extAckMessage, extAckOffset), cause);
        this.operation = operation;
        this.errno = errno;
        this.sequence = sequence;
        this.extAckMessage = extAckMessage == null ? "" : extAckMessage;
        this.extAckOffset = extAckOffset;
    }

    private static String message(String operation, int errno, int sequence, String ext, int offset) {
        StringBuilder sb = new StringBuilder(operation).append(": ").append(Errno.name(errno))
                .append(" (").append(Errno.description(errno)).append(")");
        if (ext != null && !ext.isEmpty()) {
            sb.append(": ").append(ext);
        }
        if (offset != NO_OFFSET) {
            sb.append(" [at request byte ").append(offset).append(']');
        }
        return sb.append(" [seq ").append(Integer.toUnsignedString(sequence)).append(']').toString();
    }

    /** What was being done, e.g. "ctnetlink get" or "recvmsg". */
    public String operation() {
        return operation;
    }

    /** The errno number (positive), e.g. 22 for EINVAL. */
    public int errno() {
        return errno;
    }

    /** The errno's name, e.g. "EINVAL". */
    public String errnoName() {
        return Errno.name(errno);
    }

    /** The netlink sequence number of the request (0 for events). */
    public int sequence() {
        return sequence;
    }

    /** The kernel's extended-ACK text ({@code NLMSGERR_ATTR_MSG}), or "" when it sent none. */
    public String extAckMessage() {
        return extAckMessage;
    }

    /** Offset in the request of the attribute the kernel blames ({@code NLMSGERR_ATTR_OFFS}), or {@link #NO_OFFSET}. */
    public int extAckOffset() {
        return extAckOffset;
    }
}
