package dev.conntrace.conntrack;

import static dev.conntrace.conntrack.wire.Ctnetlink.*;

import dev.conntrace.conntrack.wire.ExpectDecoder;
import dev.conntrace.conntrack.wire.FlowDecoder;
import dev.conntrace.netlink.KernelTransport;
import dev.conntrace.netlink.MessageVisitor;
import dev.conntrace.netlink.MessagesLostException;
import dev.conntrace.netlink.Netlink;
import dev.conntrace.netlink.NetlinkException;
import dev.conntrace.netlink.NetlinkMessage;
import dev.conntrace.netlink.NetlinkSocket;
import dev.conntrace.netlink.netfilter.Nfnetlink;
import dev.conntrace.sys.SocketConstants;
import java.io.IOException;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Conntrack and expectation events ({@code NFNLGRP_CONNTRACK_NEW}, {@code _UPDATE}, {@code _DESTROY},
 * {@code NFNLGRP_CONNTRACK_EXP_NEW}, {@code _EXP_UPDATE}, {@code _EXP_DESTROY}) of one network
 * namespace, read from one netlink socket.
 *
 * <pre>{@code
 * try (ConntrackEvents events = ConntrackEvents.open(EnumSet.allOf(EventType.class), Set.of(),
 *         NetlinkSocket.Options.defaults())) {
 *     while (running) {
 *         events.receive(1000, e -> System.out.println(e));
 *     }
 * }
 * }</pre>
 *
 * <p>The socket that joins the groups gets a kernel receive queue of {@link #DEFAULT_RECEIVE_BUFFER}
 * (8 MiB) unless the options ask for another size; it is set with {@code SO_RCVBUFFORCE} (past
 * {@code net.core.rmem_max}), falling back to {@code SO_RCVBUF} without CAP_NET_ADMIN.
 *
 * <p>When the kernel drops events because that queue is full ({@code ENOBUFS}), {@link #receive}
 * counts the loss in {@link #lost()}, delivers an {@link Overrun} with the kernel's drop count for the
 * socket, and keeps going: the consumer repairs its view with a dump. Malformed messages are counted
 * in {@link #counters()}. Not thread-safe: read from one thread (one reader keeps each flow's events in
 * order); {@link ConntrackListener} runs such a reader with a bounded hand-off queue.
 *
 * <p>The kernel keeps events only for flows that began while some socket of the namespace listened
 * to conntrack events (it adds the event extension when a flow is created); the same holds for the
 * expectations of a master flow. Listen before the traffic to see its events.
 */
public final class ConntrackEvents implements AutoCloseable {
    /** The kernel receive queue asked for when the options leave it at 0: 8 MiB. */
    public static final int DEFAULT_RECEIVE_BUFFER = 8 << 20;

    private final NetlinkSocket socket;
    private final DecodeCounters counters = new DecodeCounters();
    private final FlowDecoder decoder = new FlowDecoder(counters);
    private final ExpectDecoder expects = new ExpectDecoder(counters);
    private final Delivery delivery = new Delivery();
    private final SocketDrops drops;
    private final Clock clock;
    private long lost;

    private ConntrackEvents(NetlinkSocket socket, SocketDrops drops, Clock clock) {
        this.socket = socket;
        this.drops = drops;
        this.clock = clock;
    }

    /** Joins the flow event groups of {@code types} on a new socket in the calling thread's network namespace. */
    public static ConntrackEvents open(Set<EventType> types) throws NetlinkException {
        return open(types, NetlinkSocket.Options.defaults());
    }

    /** Like {@link #open(Set)} with socket {@code options}; a receive queue of 0 means {@link #DEFAULT_RECEIVE_BUFFER}. */
    public static ConntrackEvents open(Set<EventType> types, NetlinkSocket.Options options) throws NetlinkException {
        return open(types, Set.of(), options);
    }

    /**
     * Joins the flow event groups of {@code flowTypes} and the expectation event groups of
     * {@code expectTypes} on a new socket in the calling thread's network namespace.
     *
     * @param options socket options; a receive queue of 0 means {@link #DEFAULT_RECEIVE_BUFFER}
     * @throws IllegalArgumentException when both sets are empty
     */
    public static ConntrackEvents open(Set<EventType> flowTypes, Set<EventType> expectTypes,
                                       NetlinkSocket.Options options) throws NetlinkException {
        NetlinkSocket.Options o = options.socketReceiveBuffer() == 0
                ? options.withSocketReceiveBuffer(DEFAULT_RECEIVE_BUFFER) : options;
        NetlinkSocket socket = NetlinkSocket.open(SocketConstants.NETLINK_NETFILTER, o);
        SocketDrops drops = socket.transport() instanceof KernelTransport
                ? SocketDrops.open(SocketConstants.NETLINK_NETFILTER, socket.portId()) : null;
        return over(socket, flowTypes, expectTypes, drops, Clock.systemUTC());
    }

    /** Flow events from an open socket (a fake kernel in tests); takes ownership of it. */
    public static ConntrackEvents over(NetlinkSocket socket, Set<EventType> types) throws NetlinkException {
        return over(socket, types, Set.of());
    }

    /** Flow and expectation events from an open socket (a fake kernel in tests); takes ownership of it. */
    public static ConntrackEvents over(NetlinkSocket socket, Set<EventType> flowTypes, Set<EventType> expectTypes)
            throws NetlinkException {
        return over(socket, flowTypes, expectTypes, null, Clock.systemUTC());
    }

    private static ConntrackEvents over(NetlinkSocket socket, Set<EventType> flowTypes, Set<EventType> expectTypes,
                                        SocketDrops drops, Clock clock) throws NetlinkException {
        Objects.requireNonNull(socket, "socket");
        try {
            if (flowTypes.isEmpty() && expectTypes.isEmpty()) {
                throw new IllegalArgumentException("no event types to listen to");
            }
            for (EventType t : flowTypes.isEmpty() ? EnumSet.noneOf(EventType.class) : EnumSet.copyOf(flowTypes)) {
                socket.join(switch (t) {
                    case NEW -> NFNLGRP_CONNTRACK_NEW;
                    case UPDATE -> NFNLGRP_CONNTRACK_UPDATE;
                    case DESTROY -> NFNLGRP_CONNTRACK_DESTROY;
                });
            }
            for (EventType t : expectTypes.isEmpty() ? EnumSet.noneOf(EventType.class) : EnumSet.copyOf(expectTypes)) {
                socket.join(switch (t) {
                    case NEW -> NFNLGRP_CONNTRACK_EXP_NEW;
                    case UPDATE -> NFNLGRP_CONNTRACK_EXP_UPDATE;
                    case DESTROY -> NFNLGRP_CONNTRACK_EXP_DESTROY;
                });
            }
        } catch (NetlinkException | RuntimeException e) {
            socket.close();
            if (drops != null) {
                drops.close();
            }
            throw e;
        }
        return new ConntrackEvents(socket, drops, clock);
    }

    /** Events lost to {@code ENOBUFS} so far (occurrences, not events: the kernel does not say how many). */
    public long lost() {
        return lost;
    }

    /** Messages the kernel dropped for this socket so far ({@code /proc/net/netlink} Drops), or -1 when unknown. */
    public long socketDrops() {
        return drops == null ? -1 : drops.read();
    }

    /** The kernel receive queue size of the socket ({@code SO_RCVBUF}; the kernel doubles what was asked). */
    public int receiveBufferSize() throws NetlinkException {
        return socket.receiveBufferSize();
    }

    /** Unknown attributes and malformed messages met so far. */
    public DecodeCounters counters() {
        return counters;
    }

    /**
     * Waits up to {@code timeoutMillis} (negative: forever) for one datagram of events and hands each
     * flow event, expectation event, or the {@link Overrun} that reports a loss, to {@code consumer}.
     *
     * @return the number of events delivered, an overrun included (0 on timeout)
     * @throws IOException a socket error other than a loss, or what {@code consumer} throws
     */
    public int receive(int timeoutMillis, Consumer<? super ConntrackEvent> consumer) throws IOException {
        Delivery d = delivery;
        d.consumer = consumer;
        d.delivered = 0;
        try {
            socket.receive(d, timeoutMillis);
        } catch (MessagesLostException e) {
            lost++;
            d.delivered++;
            consumer.accept(new Overrun(clock.instant(), lost, socketDrops(), 0));
        } finally {
            d.consumer = null;
        }
        return d.delivered;
    }

    /** Decodes each message of a datagram and hands it on; one per instance, reused by every receive. */
    private final class Delivery implements MessageVisitor {
        Consumer<? super ConntrackEvent> consumer;
        int delivered;

        @Override
        public void visit(NetlinkMessage m) {
            ConntrackEvent e = decodeAny(m);
            if (e != null) {
                delivered++;
                consumer.accept(e);
            }
        }
    }

    /**
     * Waits up to {@code timeoutMillis} (negative: forever) for one datagram of events and hands each
     * flow event to {@code consumer}; expectation events are skipped.
     *
     * @param onLost called when the kernel reports lost events; may be null
     * @return the number of events delivered (0 on timeout or loss)
     */
    public int poll(int timeoutMillis, Consumer<? super FlowEvent> consumer, Runnable onLost) throws IOException {
        int[] delivered = {0};
        receive(timeoutMillis, e -> {
            switch (e) {
                case FlowEvent f -> {
                    delivered[0]++;
                    consumer.accept(f);
                }
                case Overrun o -> {
                    if (onLost != null) {
                        onLost.run();
                    }
                }
                case ExpectEvent x -> { }
            }
        });
        return delivered[0];
    }

    /** {@link #poll(int, Consumer, Runnable)} without a loss callback (losses are still counted). */
    public int poll(int timeoutMillis, Consumer<? super FlowEvent> consumer) throws IOException {
        return poll(timeoutMillis, consumer, null);
    }

    private ConntrackEvent decodeAny(NetlinkMessage m) {
        return Nfnetlink.subsystem(m.type()) == NFNL_SUBSYS_CTNETLINK_EXP ? decodeExpect(m) : decode(m);
    }

    /** The event in {@code m}, or null when it is not a conntrack event or does not decode. */
    FlowEvent decode(NetlinkMessage m) {
        int type = m.type();
        if (Nfnetlink.subsystem(type) != NFNL_SUBSYS_CTNETLINK) {
            counters.countMalformed("message type 0x" + Integer.toHexString(type) + " is not a ctnetlink event");
            return null;
        }
        EventType kind = switch (Nfnetlink.message(type)) {
            // As libnetfilter_conntrack: NEW with CREATE or EXCL is a new entry, without an update.
            case IPCTNL_MSG_CT_NEW -> isCreate(m) ? EventType.NEW : EventType.UPDATE;
            case IPCTNL_MSG_CT_DELETE -> EventType.DESTROY;
            default -> null;
        };
        if (kind == null) {
            counters.countMalformed("conntrack message type " + Nfnetlink.message(type) + " is not an event");
            return null;
        }
        Flow f = decoder.decode(m);
        return f == null ? null : new FlowEvent(kind, f, m.portId());
    }

    private ExpectEvent decodeExpect(NetlinkMessage m) {
        EventType kind = switch (Nfnetlink.message(m.type())) {
            case IPCTNL_MSG_EXP_NEW -> isCreate(m) ? EventType.NEW : EventType.UPDATE;
            case IPCTNL_MSG_EXP_DELETE -> EventType.DESTROY;
            default -> null;
        };
        if (kind == null) {
            counters.countMalformed("expectation message type " + Nfnetlink.message(m.type()) + " is not an event");
            return null;
        }
        Expect x = expects.decode(m);
        return x == null ? null : new ExpectEvent(kind, x, m.portId());
    }

    private static boolean isCreate(NetlinkMessage m) {
        return (m.flags() & (Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL)) != 0;
    }

    @Override
    public void close() {
        socket.close();
        if (drops != null) {
            drops.close();
        }
    }
}
