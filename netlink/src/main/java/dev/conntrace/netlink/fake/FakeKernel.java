package dev.conntrace.netlink.fake;

import dev.conntrace.netlink.Netlink;
import dev.conntrace.netlink.NetlinkTransport;
import dev.conntrace.sys.Errno;
import dev.conntrace.sys.SysException;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A fake kernel netlink socket: each request sent is passed to a function that returns the
 * datagrams the "kernel" answers with — messages, multipart dumps, errors with extended ACKs — or
 * receive failures such as ENOBUFS. Lets everything above {@link NetlinkTransport} be unit-tested
 * without root.
 *
 * <pre>{@code
 * FakeKernel kernel = new FakeKernel(request -> List.of(
 *         Datagram.of(FakeKernel.message(TYPE, NLM_F_MULTI, FakeKernel.sequence(request), PORT, payload)),
 *         Datagram.of(FakeKernel.done(request, PORT))));
 * NetlinkSocket socket = NetlinkSocket.over(kernel, Options.defaults());
 * }</pre>
 *
 * <p>Replies queue up in order; a receive with nothing queued fails with EAGAIN (the real socket's
 * timeout). Thread-safe (synchronized); for tests only.
 */
public final class FakeKernel implements NetlinkTransport {
    /** The port id a fake socket reports unless told otherwise. */
    public static final int DEFAULT_PORT_ID = 0x4b1d;

    /**
     * One datagram the fake delivers, or a receive error.
     *
     * @param bytes the datagram (one or more messages, each aligned to 4)
     * @param senderPortId the sender's port id: 0 is the kernel
     * @param groups multicast groups bitmask (0: unicast)
     * @param errno when non-zero, the receive fails with this errno instead
     */
    public record Datagram(byte[] bytes, int senderPortId, int groups, int errno) {
        public Datagram {
            Objects.requireNonNull(bytes, "bytes");
        }

        /** A unicast datagram from the kernel packing {@code messages}. */
        public static Datagram of(byte[]... messages) {
            return new Datagram(concat(messages), 0, 0, 0);
        }

        /** A multicast datagram from the kernel to {@code groups} (a bitmask: group n is bit n-1). */
        public static Datagram multicast(int groups, byte[]... messages) {
            return new Datagram(concat(messages), 0, groups, 0);
        }

        /** A receive that fails with {@code errno} (e.g. {@link Errno#ENOBUFS}). */
        public static Datagram failure(int errno) {
            return new Datagram(new byte[0], 0, 0, errno);
        }

        /** The same datagram as if sent by user-space port {@code portId}. */
        public Datagram from(int portId) {
            return new Datagram(bytes, portId, groups, errno);
        }
    }

    private final int portId;
    private final Function<byte[], List<Datagram>> kernel;
    private final Deque<Datagram> queue = new ArrayDeque<>();
    private final List<byte[]> requests = new ArrayList<>();
    private final Map<Long, Integer> options = new HashMap<>();
    private final Map<Long, Integer> rejected = new HashMap<>();
    private int lastSenderPortId;
    private int lastSenderGroups;
    private boolean closed;

    /** A fake with port id {@link #DEFAULT_PORT_ID} answering each request with {@code kernel.apply(requestBytes)}. */
    public FakeKernel(Function<byte[], List<Datagram>> kernel) {
        this(DEFAULT_PORT_ID, kernel);
    }

    /** A fake with port id {@code portId}. */
    public FakeKernel(int portId, Function<byte[], List<Datagram>> kernel) {
        this.portId = portId;
        this.kernel = Objects.requireNonNull(kernel, "kernel");
    }

    /** Queues datagrams as if the kernel sent them unprompted (events, stale replies). */
    public synchronized FakeKernel inject(Datagram... datagrams) {
        queue.addAll(List.of(datagrams));
        notifyAll();
        return this;
    }

    /** Makes {@code setsockopt(level, name)} fail with {@code errno}, e.g. SO_RCVBUFFORCE with EPERM. */
    public synchronized FakeKernel rejectOption(int level, int name, int errno) {
        rejected.put(key(level, name), errno);
        return this;
    }

    /** Copies of every request sent, in order. */
    public synchronized List<byte[]> requests() {
        return List.copyOf(requests);
    }

    /** The value last set for an option, or null. */
    public synchronized Integer optionValue(int level, int name) {
        return options.get(key(level, name));
    }

    /** Datagrams still queued. */
    public synchronized int queued() {
        return queue.size();
    }

    /** True once closed. */
    public synchronized boolean isClosed() {
        return closed;
    }

    @Override
    public int portId() {
        return portId;
    }

    @Override
    public synchronized void send(MemorySegment message, int length) throws SysException {
        checkOpen();
        byte[] request = message.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
        requests.add(request);
        List<Datagram> replies = kernel.apply(request.clone());
        if (replies != null) {
            queue.addAll(replies);
            notifyAll();
        }
    }

    @Override
    public synchronized int receive(MemorySegment buffer, boolean wait) throws SysException {
        checkOpen();
        Datagram next = queue.poll();
        if (next == null) {
            if (wait) {
                throw new SysException("recvmsg", Errno.EAGAIN, "fake kernel has nothing queued");
            }
            return -1;
        }
        if (next.errno() != 0) {
            throw new SysException("recvmsg", next.errno());
        }
        int copied = (int) Math.min(buffer.byteSize(), next.bytes().length);
        MemorySegment.copy(next.bytes(), 0, buffer, ValueLayout.JAVA_BYTE, 0, copied);
        lastSenderPortId = next.senderPortId();
        lastSenderGroups = next.groups();
        return next.bytes().length;
    }

    @Override
    public synchronized int lastSenderPortId() {
        return lastSenderPortId;
    }

    @Override
    public synchronized int lastSenderGroups() {
        return lastSenderGroups;
    }

    @Override
    public synchronized boolean awaitReadable(int timeoutMillis) {
        // Waits like poll(2) would, so that reader threads over a fake do not spin.
        long deadline = System.nanoTime() + Math.max(0, timeoutMillis) * 1_000_000L;
        while (queue.isEmpty() && !closed) {
            long left = timeoutMillis < 0 ? 0 : (deadline - System.nanoTime()) / 1_000_000L;
            if (timeoutMillis >= 0 && left <= 0) {
                break;
            }
            try {
                wait(timeoutMillis < 0 ? 0 : left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return !queue.isEmpty();
    }

    @Override
    public synchronized void setOption(int level, int name, int value) throws SysException {
        checkOpen();
        Integer errno = rejected.get(key(level, name));
        if (errno != null) {
            throw new SysException("setsockopt", errno, "level " + level + ", option " + name);
        }
        options.put(key(level, name), value);
    }

    @Override
    public synchronized int option(int level, int name) throws SysException {
        checkOpen();
        Integer value = options.get(key(level, name));
        if (value == null && level == dev.conntrace.sys.SocketConstants.SOL_SOCKET
                && name == dev.conntrace.sys.SocketConstants.SO_RCVBUF) {
            Integer forced = options.get(key(level, dev.conntrace.sys.SocketConstants.SO_RCVBUFFORCE));
            return forced == null ? 212992 : 2 * forced;
        }
        if (value == null) {
            throw new SysException("getsockopt", Errno.ENOPROTOOPT, "level " + level + ", option " + name);
        }
        return level == dev.conntrace.sys.SocketConstants.SOL_SOCKET
                && name == dev.conntrace.sys.SocketConstants.SO_RCVBUF ? 2 * value : value;
    }

    @Override
    public void receiveTimeout(Duration timeout) {}

    @Override
    public synchronized void close() {
        closed = true;
        notifyAll();
    }

    private void checkOpen() throws SysException {
        if (closed) {
            throw new SysException("fake socket", Errno.EBADF);
        }
    }

    private static long key(int level, int name) {
        return ((long) level << 32) | (name & 0xFFFF_FFFFL);
    }

    // ---------------------------------------------------------------- building replies

    /** {@code nlmsg_seq} of a request. */
    public static int sequence(byte[] request) {
        return le(request).getInt(8);
    }

    /** {@code nlmsg_type} of a request. */
    public static int type(byte[] request) {
        return le(request).getShort(4) & 0xFFFF;
    }

    /** {@code nlmsg_flags} of a request. */
    public static int flags(byte[] request) {
        return le(request).getShort(6) & 0xFFFF;
    }

    /** A message: header with these fields, then {@code payload}, padded to 4. */
    public static byte[] message(int type, int flags, int sequence, int portId, byte[] payload) {
        int length = Netlink.NLMSG_HDRLEN + payload.length;
        ByteBuffer b = ByteBuffer.allocate(Netlink.align(length)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(length).putShort((short) type).putShort((short) flags).putInt(sequence).putInt(portId).put(payload);
        return b.array();
    }

    /** {@code NLMSG_DONE} ending a dump of {@code request} (payload: error 0, as the kernel sends). */
    public static byte[] done(byte[] request, int portId) {
        return message(Netlink.NLMSG_DONE, Netlink.NLM_F_MULTI, sequence(request), portId, new byte[4]);
    }

    /** The ACK for {@code request} (a capped {@code NLMSG_ERROR} with error 0). */
    public static byte[] ack(byte[] request, int portId) {
        return error(request, portId, 0, null, -1);
    }

    /**
     * A capped {@code NLMSG_ERROR} for {@code request} with {@code -errno}, and when {@code text}
     * is non-null or {@code offset >= 0} the extended-ACK attributes NLMSGERR_ATTR_MSG / _OFFS.
     */
    public static byte[] error(byte[] request, int portId, int errno, String text, int offset) {
        ByteArrayOutputStream tlvs = new ByteArrayOutputStream();
        if (text != null) {
            tlvs.writeBytes(attribute(Netlink.NLMSGERR_ATTR_MSG, (text + "\0").getBytes(StandardCharsets.UTF_8)));
        }
        if (offset >= 0) {
            tlvs.writeBytes(attribute(Netlink.NLMSGERR_ATTR_OFFS, le(new byte[4]).putInt(0, offset).array()));
        }
        ByteBuffer payload = ByteBuffer.allocate(4 + Netlink.NLMSG_HDRLEN + tlvs.size()).order(ByteOrder.LITTLE_ENDIAN);
        payload.putInt(-errno).put(request, 0, Netlink.NLMSG_HDRLEN).put(tlvs.toByteArray());
        int flags = Netlink.NLM_F_CAPPED | (tlvs.size() > 0 ? Netlink.NLM_F_ACK_TLVS : 0);
        return message(Netlink.NLMSG_ERROR, flags, sequence(request), portId, payload.array());
    }

    /** One attribute: header, value, padding. */
    public static byte[] attribute(int type, byte[] value) {
        int length = Netlink.NLA_HDRLEN + value.length;
        ByteBuffer b = ByteBuffer.allocate(Netlink.align(length)).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) length).putShort((short) type).put(value);
        return b.array();
    }

    private static ByteBuffer le(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
