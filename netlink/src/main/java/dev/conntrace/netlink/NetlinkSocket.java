package dev.conntrace.netlink;

import dev.conntrace.sys.Errno;
import dev.conntrace.sys.SocketConstants;
import dev.conntrace.sys.SysException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A netlink socket: requests with ACKs, dumps delivered message by message, multicast events,
 * sequence and port-id checks, extended ACKs, receive-buffer sizing and {@code ENOBUFS} reporting.
 *
 * <pre>{@code
 * try (NetlinkSocket socket = NetlinkSocket.open(NETLINK_NETFILTER)) {
 *     MessageBuilder request = socket.request(Nfnetlink.type(NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_GET), 0);
 *     Nfgenmsg.put(request, AF_INET, 0);
 *     DumpResult result = socket.dump("ctnetlink dump", request, message -> count++);
 * }
 * }</pre>
 *
 * <p><b>Replies.</b> A request gets a fresh sequence number (the first one random). Replies are read
 * into one receive buffer owned by the socket ({@link Options#readBufferSize()}, default 1 MiB) and
 * handed to the visitor as {@link NetlinkMessage} views: nothing is copied or allocated per message.
 * Every reply must carry the request's sequence number and this socket's port id, else the reply is
 * rejected ({@link DecodeException}, CORRUPT). Multicast datagrams and datagrams from other user-space
 * senders that arrive while waiting for a reply are skipped and counted. A datagram larger than the
 * receive buffer is an error, never silently truncated. If a request ends early (an exception), the
 * socket discards the rest of its replies before the next request (an ENOBUFS met while discarding
 * only adds to {@link #lostCount()}).
 *
 * <p><b>Errors.</b> An {@code NLMSG_ERROR} (or an {@code NLMSG_DONE} carrying an error) becomes a
 * {@link NetlinkException} with errno and extended-ACK text; {@code ENOBUFS} from {@code recvmsg}
 * becomes a {@link MessagesLostException} (counted by {@link #lostCount()}), after which the socket
 * stays usable; a reply that does not come within {@link Options#replyTimeout()} is {@code EAGAIN}.
 *
 * <p>Not thread-safe: use one socket per thread, or one thread at a time. The socket belongs to the
 * network namespace of the thread that opened it.
 */
public final class NetlinkSocket implements AutoCloseable {
    /**
     * Socket settings.
     *
     * @param socketReceiveBuffer kernel receive queue size in bytes ({@code SO_RCVBUFFORCE}, falling back
     *     to {@code SO_RCVBUF} without CAP_NET_ADMIN); 0 keeps the kernel default
     * @param readBufferSize the user-space buffer one datagram is read into; the kernel sends at most
     *     ~32 KiB per dump datagram, events and error replies can be larger
     * @param extendedAck ask for extended ACKs ({@code NETLINK_EXT_ACK}) and capped error replies
     *     ({@code NETLINK_CAP_ACK})
     * @param strictCheck {@code NETLINK_GET_STRICT_CHK}: the kernel rejects malformed dump requests
     * @param noEnobufs {@code NETLINK_NO_ENOBUFS}: the kernel stops reporting overruns (losses then go unnoticed)
     * @param listenAllNsid {@code NETLINK_LISTEN_ALL_NSID}: receive events of every peer namespace
     * @param replyTimeout longest wait for each datagram of a reply
     */
    public record Options(int socketReceiveBuffer, int readBufferSize, boolean extendedAck, boolean strictCheck,
                          boolean noEnobufs, boolean listenAllNsid, Duration replyTimeout) {
        /** Smallest accepted {@link #readBufferSize()}. */
        public static final int MIN_READ_BUFFER = 4096;
        /** Largest accepted {@link #readBufferSize()}. */
        public static final int MAX_READ_BUFFER = 64 << 20;

        public Options {
            if (socketReceiveBuffer < 0) {
                throw new IllegalArgumentException("negative socket receive buffer " + socketReceiveBuffer);
            }
            if (readBufferSize < MIN_READ_BUFFER || readBufferSize > MAX_READ_BUFFER) {
                throw new IllegalArgumentException("read buffer " + readBufferSize + " outside "
                        + MIN_READ_BUFFER + ".." + MAX_READ_BUFFER);
            }
            Objects.requireNonNull(replyTimeout, "replyTimeout");
            if (replyTimeout.isNegative() || replyTimeout.isZero()) {
                throw new IllegalArgumentException("reply timeout must be positive: " + replyTimeout);
            }
        }

        /** Kernel receive queue untouched, 1 MiB read buffer, extended ACKs, strict checks, 30 s timeout. */
        public static Options defaults() {
            return new Options(0, 1 << 20, true, true, false, false, Duration.ofSeconds(30));
        }

        /** With a kernel receive queue of {@code bytes}. */
        public Options withSocketReceiveBuffer(int bytes) {
            return new Options(bytes, readBufferSize, extendedAck, strictCheck, noEnobufs, listenAllNsid, replyTimeout);
        }

        /** With a read buffer of {@code bytes}. */
        public Options withReadBufferSize(int bytes) {
            return new Options(socketReceiveBuffer, bytes, extendedAck, strictCheck, noEnobufs, listenAllNsid, replyTimeout);
        }

        /** With or without extended ACKs. */
        public Options withExtendedAck(boolean on) {
            return new Options(socketReceiveBuffer, readBufferSize, on, strictCheck, noEnobufs, listenAllNsid, replyTimeout);
        }

        /** With or without strict request checking. */
        public Options withStrictCheck(boolean on) {
            return new Options(socketReceiveBuffer, readBufferSize, extendedAck, on, noEnobufs, listenAllNsid, replyTimeout);
        }

        /** With or without {@code NETLINK_NO_ENOBUFS}. */
        public Options withNoEnobufs(boolean on) {
            return new Options(socketReceiveBuffer, readBufferSize, extendedAck, strictCheck, on, listenAllNsid, replyTimeout);
        }

        /** With or without {@code NETLINK_LISTEN_ALL_NSID}. */
        public Options withListenAllNsid(boolean on) {
            return new Options(socketReceiveBuffer, readBufferSize, extendedAck, strictCheck, noEnobufs, on, replyTimeout);
        }

        /** With another reply timeout. */
        public Options withReplyTimeout(Duration timeout) {
            return new Options(socketReceiveBuffer, readBufferSize, extendedAck, strictCheck, noEnobufs, listenAllNsid, timeout);
        }
    }

    /** A poll that returns within this found data already queued; one that slept takes longer. */
    private static final long BACKLOG_POLL_NANOS = 20_000;

    private static final int DRAIN_LIMIT = 1 << 20; // datagrams; bounds the discard loop

    private final NetlinkTransport transport;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment readBuffer;
    private final MessageBuilder builder;
    private final MessageCursor messages = new MessageCursor();
    private final AttributeCursor ackCursor = new AttributeCursor();
    private int nextSequence;
    private boolean pendingReplies;
    /** The last receive found a datagram already queued (see {@link #receive}). */
    private boolean backlog;
    private long lost;
    private long skipped;
    private boolean closed;

    private NetlinkSocket(NetlinkTransport transport, Options options) throws NetlinkException {
        this.transport = transport;
        this.readBuffer = arena.allocate(options.readBufferSize(), 8);
        this.builder = new MessageBuilder(arena.allocate(MessageBuilder.DEFAULT_CAPACITY, 8));
        this.nextSequence = ThreadLocalRandom.current().nextInt();
        try {
            configure(options);
        } catch (NetlinkException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private void configure(Options options) throws NetlinkException {
        try {
            if (options.extendedAck()) {
                transport.setOption(SocketConstants.SOL_NETLINK, SocketConstants.NETLINK_EXT_ACK, 1);
                transport.setOption(SocketConstants.SOL_NETLINK, SocketConstants.NETLINK_CAP_ACK, 1);
            }
            if (options.strictCheck()) {
                transport.setOption(SocketConstants.SOL_NETLINK, SocketConstants.NETLINK_GET_STRICT_CHK, 1);
            }
            if (options.noEnobufs()) {
                transport.setOption(SocketConstants.SOL_NETLINK, SocketConstants.NETLINK_NO_ENOBUFS, 1);
            }
            if (options.listenAllNsid()) {
                transport.setOption(SocketConstants.SOL_NETLINK, SocketConstants.NETLINK_LISTEN_ALL_NSID, 1);
            }
            transport.receiveTimeout(options.replyTimeout());
        } catch (SysException e) {
            throw wrap("configure netlink socket", 0, e);
        }
        if (options.socketReceiveBuffer() > 0) {
            receiveBufferSize(options.socketReceiveBuffer());
        }
    }

    /** Opens a netlink socket for {@code protocol} (e.g. {@link SocketConstants#NETLINK_NETFILTER}) with default options. */
    public static NetlinkSocket open(int protocol) throws NetlinkException {
        return open(protocol, Options.defaults());
    }

    /** Opens a netlink socket for {@code protocol} in the calling thread's network namespace. */
    public static NetlinkSocket open(int protocol, Options options) throws NetlinkException {
        KernelTransport transport;
        try {
            transport = KernelTransport.open(protocol);
        } catch (SysException e) {
            throw toException("open netlink socket (protocol " + protocol + ")", 0, e);
        }
        return over(transport, options);
    }

    /** A socket over any transport, e.g. a {@link dev.conntrace.netlink.fake.FakeKernel}; takes ownership of it. */
    public static NetlinkSocket over(NetlinkTransport transport, Options options) throws NetlinkException {
        try {
            return new NetlinkSocket(transport, options);
        } catch (NetlinkException | RuntimeException e) {
            transport.close();
            throw e;
        }
    }

    /** The port id the kernel assigned ({@code nl_pid}). */
    public int portId() {
        return transport.portId();
    }

    /** The transport underneath. */
    public NetlinkTransport transport() {
        return transport;
    }

    /**
     * Starts a request in this socket's reusable builder: {@code type}, {@code flags | NLM_F_REQUEST}.
     * Add the family header and attributes, then pass it to {@link #execute} or {@link #dump}.
     */
    public MessageBuilder request(int type, int flags) {
        return builder.begin(type, flags | Netlink.NLM_F_REQUEST);
    }

    /**
     * Sends {@code request} with {@code NLM_F_ACK} and waits for the kernel's ACK. Replies before
     * the ACK (a {@code get}'s answer) go to {@code replies}, which may be null to ignore them.
     *
     * @throws NetlinkException the kernel's error, with its extended ACK
     * @throws DecodeException a reply that does not decode or is not for this request
     * @throws IOException what {@code replies} throws
     */
    public void execute(String operation, MessageBuilder request, MessageVisitor replies) throws IOException {
        int sequence = send(operation, request, Netlink.NLM_F_ACK);
        await(operation, sequence, false, replies);
    }

    /**
     * Sends {@code request} without {@code NLM_F_ACK}, for a request the kernel answers with exactly
     * one message (a sock_diag get): the answer goes to {@code reply} and no ACK is awaited after it
     * (one receive instead of two). The expected refusal {@code missErrno} (e.g. ENOENT: "no such
     * socket") is returned as false rather than thrown, as a lookup's miss is an ordinary answer.
     *
     * @return true when the kernel answered, false when it refused with {@code missErrno}
     * @throws NetlinkException any other refusal, with its extended ACK
     * @throws DecodeException a reply that does not decode or is not for this request
     * @throws IOException what {@code reply} throws
     */
    public boolean query(String operation, MessageBuilder request, int missErrno, MessageVisitor reply)
            throws IOException {
        Objects.requireNonNull(reply, "reply");
        int sequence = send(operation, request, 0);
        int portId = transport.portId();
        while (true) {
            if (!receiveReply(operation, sequence)) {
                continue;
            }
            while (messages.next()) {
                NetlinkMessage message = messages.message();
                checkReply(operation, sequence, portId, message);
                switch (message.type()) {
                    case Netlink.NLMSG_NOOP -> { }
                    case Netlink.NLMSG_ERROR, Netlink.NLMSG_DONE -> {
                        pendingReplies = false;
                        int error = message.payloadLength() >= 4 ? ExtendedAck.error(message) : 0;
                        if (error == 0) {
                            return true; // answered, with nothing to hand over
                        }
                        if (error == -missErrno) {
                            return false;
                        }
                        throw ExtendedAck.exception(operation, sequence, message, ackCursor);
                    }
                    case Netlink.NLMSG_OVERRUN -> {
                        lost++;
                        throw new MessagesLostException(operation + " (NLMSG_OVERRUN)", null);
                    }
                    default -> {
                        reply.visit(message);
                        pendingReplies = false;
                        return true;
                    }
                }
            }
        }
    }

    /**
     * Sends {@code request} with {@code NLM_F_DUMP} and hands each reply message to {@code visitor}
     * as it arrives, until {@code NLMSG_DONE}.
     *
     * @return how many messages were delivered and whether the dump was interrupted ({@code NLM_F_DUMP_INTR})
     * @throws NetlinkException the kernel's error, with its extended ACK
     * @throws DecodeException a reply that does not decode or is not for this request
     * @throws IOException what {@code visitor} throws
     */
    public DumpResult dump(String operation, MessageBuilder request, MessageVisitor visitor) throws IOException {
        Objects.requireNonNull(visitor, "visitor");
        int sequence = send(operation, request, Netlink.NLM_F_DUMP);
        return await(operation, sequence, true, visitor);
    }

    /**
     * Waits up to {@code timeoutMillis} (negative: forever) for one datagram — events of joined
     * groups, or anything else sent to this socket — and hands its messages to {@code visitor}.
     * Datagrams from user-space senders are skipped (counted) and the wait goes on.
     *
     * @return the number of messages delivered; 0 when nothing came in time
     * @throws MessagesLostException the receive queue overflowed ({@code ENOBUFS}); the socket stays usable
     */
    public int receive(MessageVisitor visitor, int timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeoutMillis));
        int wait = timeoutMillis;
        for (int datagram = 0; datagram < DRAIN_LIMIT; datagram++) {
            int length;
            try {
                // While datagrams arrive faster than they are read (a backlog), a receive without
                // waiting usually finds one: one system call instead of poll and recvmsg. Without a
                // backlog that would be a wasted call, so poll first then.
                length = backlog ? transport.receive(readBuffer, false) : -1;
                if (length < 0) {
                    long polled = System.nanoTime();
                    if (!transport.awaitReadable(wait)) {
                        backlog = false;
                        return 0;
                    }
                    backlog = System.nanoTime() - polled < BACKLOG_POLL_NANOS;
                    length = transport.receive(readBuffer, false);
                }
            } catch (SysException e) {
                throw wrap("receive", 0, e);
            }
            if (length >= 0) {
                checkLength(length);
                if (transport.lastSenderPortId() == 0) {
                    return deliver(visitor, length);
                }
                skipped++; // from a user-space sender: not ours to trust
            }
            if (timeoutMillis > 0) {
                wait = (int) Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
                if (wait == 0) {
                    return 0;
                }
            }
        }
        return 0;
    }

    private int deliver(MessageVisitor visitor, int length) throws IOException {
        int count = 0;
        messages.reset(readBuffer, 0, length);
        while (messages.next()) {
            NetlinkMessage message = messages.message();
            if (message.type() == Netlink.NLMSG_OVERRUN) {
                lost++;
                throw new MessagesLostException("receive (NLMSG_OVERRUN)", null);
            }
            visitor.visit(message);
            count++;
        }
        return count;
    }

    /** Joins multicast group {@code group} ({@code NETLINK_ADD_MEMBERSHIP}), e.g. NFNLGRP_CONNTRACK_NEW. */
    public void join(int group) throws NetlinkException {
        try {
            transport.setOption(SocketConstants.SOL_NETLINK, SocketConstants.NETLINK_ADD_MEMBERSHIP, group);
        } catch (SysException e) {
            throw wrap("join multicast group " + group, 0, e);
        }
    }

    /** Leaves multicast group {@code group} ({@code NETLINK_DROP_MEMBERSHIP}). */
    public void leave(int group) throws NetlinkException {
        try {
            transport.setOption(SocketConstants.SOL_NETLINK, SocketConstants.NETLINK_DROP_MEMBERSHIP, group);
        } catch (SysException e) {
            throw wrap("leave multicast group " + group, 0, e);
        }
    }

    /**
     * Sets the kernel receive queue to {@code bytes}: {@code SO_RCVBUFFORCE} (past
     * {@code net.core.rmem_max}, needs CAP_NET_ADMIN), falling back to {@code SO_RCVBUF} on EPERM.
     *
     * @return the size the kernel reports afterwards (it doubles the request for bookkeeping)
     */
    public int receiveBufferSize(int bytes) throws NetlinkException {
        if (bytes <= 0) {
            throw new IllegalArgumentException("receive buffer must be positive: " + bytes);
        }
        try {
            try {
                transport.setOption(SocketConstants.SOL_SOCKET, SocketConstants.SO_RCVBUFFORCE, bytes);
            } catch (SysException e) {
                if (!e.is(Errno.EPERM)) {
                    throw e;
                }
                transport.setOption(SocketConstants.SOL_SOCKET, SocketConstants.SO_RCVBUF, bytes);
            }
            return receiveBufferSize();
        } catch (SysException e) {
            throw wrap("set receive buffer to " + bytes, 0, e);
        }
    }

    /** The kernel receive queue size ({@code SO_RCVBUF}). */
    public int receiveBufferSize() throws NetlinkException {
        try {
            return transport.option(SocketConstants.SOL_SOCKET, SocketConstants.SO_RCVBUF);
        } catch (SysException e) {
            throw wrap("get receive buffer", 0, e);
        }
    }

    /** How many times the kernel reported lost messages (ENOBUFS or NLMSG_OVERRUN). */
    public long lostCount() {
        return lost;
    }

    /** Datagrams skipped while waiting for replies (multicast, or from user-space senders). */
    public long skippedCount() {
        return skipped;
    }

    /** Closes the socket and frees its buffers; idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            transport.close();
            arena.close();
        }
    }

    // ---------------------------------------------------------------- internals

    private int send(String operation, MessageBuilder request, int extraFlags) throws NetlinkException {
        if (closed) {
            throw new IllegalStateException("socket is closed");
        }
        if (pendingReplies) {
            discardPending(operation);
        }
        int sequence = nextSequence++;
        request.flags(request.flags() | Netlink.NLM_F_REQUEST | extraFlags).sequence(sequence);
        int length = request.finish();
        try {
            transport.send(request.buffer(), length);
        } catch (SysException e) {
            throw wrap(operation, sequence, e);
        }
        pendingReplies = true;
        return sequence;
    }

    private DumpResult await(String operation, int sequence, boolean dump, MessageVisitor visitor) throws IOException {
        long delivered = 0;
        long datagrams = 0;
        boolean interrupted = false;
        int portId = transport.portId();
        while (true) {
            boolean fromKernel = receiveReply(operation, sequence);
            datagrams++;
            if (!fromKernel) {
                continue;
            }
            while (messages.next()) {
                NetlinkMessage message = messages.message();
                checkReply(operation, sequence, portId, message);
                if ((message.flags() & Netlink.NLM_F_DUMP_INTR) != 0) {
                    interrupted = true;
                }
                switch (message.type()) {
                    case Netlink.NLMSG_NOOP -> { }
                    case Netlink.NLMSG_ERROR -> {
                        if (ExtendedAck.error(message) != 0) {
                            pendingReplies = false;
                            throw ExtendedAck.exception(operation, sequence, message, ackCursor);
                        }
                        if (!dump) {
                            pendingReplies = false;
                            return new DumpResult(delivered, datagrams, interrupted);
                        }
                    }
                    case Netlink.NLMSG_DONE -> {
                        if (message.payloadLength() >= 4 && ExtendedAck.error(message) < 0) {
                            pendingReplies = false;
                            throw ExtendedAck.exception(operation, sequence, message, ackCursor);
                        }
                        if (dump) {
                            pendingReplies = false;
                            return new DumpResult(delivered, datagrams, interrupted);
                        }
                    }
                    case Netlink.NLMSG_OVERRUN -> {
                        lost++;
                        throw new MessagesLostException(operation + " (NLMSG_OVERRUN)", null);
                    }
                    default -> {
                        if (visitor != null) {
                            visitor.visit(message);
                        }
                        delivered++;
                    }
                }
            }
        }
    }

    /** Rejects a reply that is not for request {@code sequence} of this socket. */
    private static void checkReply(String operation, int sequence, int portId, NetlinkMessage message)
            throws DecodeException {
        if (message.sequence() != sequence) {
            throw DecodeException.corrupt(message.offset(), "reply nlmsg_seq "
                    + Integer.toUnsignedString(message.sequence()) + " to request "
                    + Integer.toUnsignedString(sequence) + " (" + operation + ")");
        }
        if (message.portId() != portId) {
            throw DecodeException.corrupt(message.offset(), "reply nlmsg_pid "
                    + Integer.toUnsignedString(message.portId()) + ", this socket's port id is "
                    + Integer.toUnsignedString(portId) + " (" + operation + ")");
        }
    }

    /**
     * Receives one datagram of a reply and sets the message cursor on it; false when it came from a
     * user-space sender or a multicast group instead of the kernel's unicast reply (counted, skipped).
     */
    private boolean receiveReply(String operation, int sequence) throws NetlinkException, DecodeException {
        int length;
        try {
            length = transport.receive(readBuffer, true);
        } catch (SysException e) {
            throw wrap(operation, sequence, e);
        }
        checkLength(length);
        if (transport.lastSenderPortId() != 0 || transport.lastSenderGroups() != 0) {
            skipped++;
            return false;
        }
        messages.reset(readBuffer, 0, length);
        return true;
    }

    /** Reads and drops whatever an abandoned request left queued. */
    private void discardPending(String operation) throws NetlinkException {
        for (int i = 0; i < DRAIN_LIMIT; i++) {
            try {
                if (transport.receive(readBuffer, false) < 0) {
                    break;
                }
            } catch (SysException e) {
                if (!e.is(Errno.ENOBUFS)) {
                    throw wrap(operation + " (discarding stale replies)", 0, e);
                }
                lost++; // reported once by the kernel; keep draining
            }
        }
        pendingReplies = false;
    }

    private void checkLength(int length) throws DecodeException {
        if (length > readBuffer.byteSize()) {
            throw DecodeException.truncated(0, "datagram of " + length + " bytes exceeds the "
                    + readBuffer.byteSize() + "-byte read buffer (Options.readBufferSize)");
        }
    }

    private NetlinkException wrap(String operation, int sequence, SysException e) {
        if (e.is(Errno.ENOBUFS)) {
            lost++;
        }
        return toException(operation, sequence, e);
    }

    private static NetlinkException toException(String operation, int sequence, SysException e) {
        if (e.is(Errno.ENOBUFS)) {
            return new MessagesLostException(operation, e);
        }
        return new NetlinkException(operation + " (" + e.operation() + ")", e.errno(), sequence, "",
                NetlinkException.NO_OFFSET, e);
    }
}
