package dev.conntrace.netlink;

/**
 * Reads an {@code NLMSG_ERROR} message ({@code struct nlmsgerr}: error s32, the request's
 * {@code nlmsghdr}, the request's payload unless {@code NLM_F_CAPPED}, then extended-ACK attributes
 * when {@code NLM_F_ACK_TLVS}) or an {@code NLMSG_DONE} ending a failed dump (error s32, then the
 * extended-ACK attributes directly) into a {@link NetlinkException}.
 */
final class ExtendedAck {
    private ExtendedAck() {}

    /** The {@code error} field: 0 for an ACK, {@code -errno} for a failure. */
    static int error(NetlinkMessage message) throws DecodeException {
        return message.u32(0);
    }

    /** The exception an error message reports, with its extended-ACK text and offset. */
    static NetlinkException exception(String operation, int sequence, NetlinkMessage message, AttributeCursor cursor)
            throws DecodeException {
        int errno = -error(message);
        String text = "";
        int offset = NetlinkException.NO_OFFSET;
        boolean done = message.type() == Netlink.NLMSG_DONE;
        if (message.hasFlags(Netlink.NLM_F_ACK_TLVS) && message.payloadLength() >= (done ? 4 : 4 + Netlink.NLMSG_HDRLEN)) {
            long echoed = done ? 0
                    : message.hasFlags(Netlink.NLM_F_CAPPED)
                    ? Netlink.NLMSG_HDRLEN
                    : Netlink.align(Math.max(Netlink.NLMSG_HDRLEN, message.u32(4)));
            long start = 4 + echoed;
            if (start <= message.payloadLength()) {
                cursor.reset(message.segment(), message.payloadOffset() + start, message.payloadLength() - start, true);
                while (cursor.next()) {
                    switch (cursor.type()) {
                        case Netlink.NLMSGERR_ATTR_MSG -> text = cursor.string();
                        case Netlink.NLMSGERR_ATTR_OFFS -> offset = cursor.u32();
                        default -> { } // cookie, policy, missing type: not surfaced
                    }
                }
            }
        }
        return new NetlinkException(operation, errno, sequence, text, offset);
    }
}
