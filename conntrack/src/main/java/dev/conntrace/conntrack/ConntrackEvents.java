package dev.conntrace.conntrack;

import static dev.conntrace.conntrack.wire.Ctnetlink.*;

import dev.conntrace.conntrack.wire.FlowDecoder;
import dev.conntrace.netlink.MessagesLostException;
import dev.conntrace.netlink.Netlink;
import dev.conntrace.netlink.NetlinkException;
import dev.conntrace.netlink.NetlinkMessage;
import dev.conntrace.netlink.NetlinkSocket;
import dev.conntrace.netlink.netfilter.Nfnetlink;
import dev.conntrace.sys.SocketConstants;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Conntrack events ({@code NFNLGRP_CONNTRACK_NEW}, {@code _UPDATE}, {@code _DESTROY}) of one network
 * namespace, read from one netlink socket.
 *
 * <pre>{@code
 * try (ConntrackEvents events = ConntrackEvents.open(EnumSet.allOf(EventType.class))) {
 *     while (running) {
 *         events.poll(1000, e -> System.out.println(e));
 *     }
 * }
 * }</pre>
 *
 * <p>When the kernel drops events because the receive queue is full ({@code ENOBUFS}), {@link #poll}
 * counts the loss in {@link #lost()}, tells the consumer through {@code onLost} and keeps going: the
 * caller repairs its view with a dump. Malformed messages are counted in {@link #counters()}. Not
 * thread-safe: poll from one thread.
 */
public final class ConntrackEvents implements AutoCloseable {
    private final NetlinkSocket socket;
    private final DecodeCounters counters = new DecodeCounters();
    private final FlowDecoder decoder = new FlowDecoder(counters);
    private long lost;

    private ConntrackEvents(NetlinkSocket socket) {
        this.socket = socket;
    }

    /** Joins the groups of {@code types} on a new socket in the calling thread's network namespace. */
    public static ConntrackEvents open(Set<EventType> types) throws NetlinkException {
        return open(types, NetlinkSocket.Options.defaults());
    }

    /** Like {@link #open(Set)} with socket {@code options} (e.g. a larger receive buffer). */
    public static ConntrackEvents open(Set<EventType> types, NetlinkSocket.Options options) throws NetlinkException {
        return over(NetlinkSocket.open(SocketConstants.NETLINK_NETFILTER, options), types);
    }

    /** Events from an open socket (a fake kernel in tests); takes ownership of it. */
    public static ConntrackEvents over(NetlinkSocket socket, Set<EventType> types) throws NetlinkException {
        Objects.requireNonNull(socket, "socket");
        if (types.isEmpty()) {
            socket.close();
            throw new IllegalArgumentException("no event types to listen to");
        }
        ConntrackEvents events = new ConntrackEvents(socket);
        try {
            for (EventType t : EnumSet.copyOf(types)) {
                socket.join(switch (t) {
                    case NEW -> NFNLGRP_CONNTRACK_NEW;
                    case UPDATE -> NFNLGRP_CONNTRACK_UPDATE;
                    case DESTROY -> NFNLGRP_CONNTRACK_DESTROY;
                });
            }
        } catch (NetlinkException | RuntimeException e) {
            socket.close();
            throw e;
        }
        return events;
    }

    /** Events lost to {@code ENOBUFS} so far (occurrences, not events: the kernel does not say how many). */
    public long lost() {
        return lost;
    }

    /** Unknown attributes and malformed messages met so far. */
    public DecodeCounters counters() {
        return counters;
    }

    /**
     * Waits up to {@code timeoutMillis} (negative: forever) for one datagram of events and hands each
     * to {@code consumer}.
     *
     * @param onLost called when the kernel reports lost events; may be null
     * @return the number of events delivered (0 on timeout or loss)
     */
    public int poll(int timeoutMillis, Consumer<? super FlowEvent> consumer, Runnable onLost) throws IOException {
        int[] delivered = {0};
        try {
            socket.receive(m -> {
                FlowEvent e = decode(m);
                if (e != null) {
                    delivered[0]++;
                    consumer.accept(e);
                }
            }, timeoutMillis);
        } catch (MessagesLostException e) {
            lost++;
            if (onLost != null) {
                onLost.run();
            }
        }
        return delivered[0];
    }

    /** {@link #poll(int, Consumer, Runnable)} without a loss callback (losses are still counted). */
    public int poll(int timeoutMillis, Consumer<? super FlowEvent> consumer) throws IOException {
        return poll(timeoutMillis, consumer, null);
    }

    /** The event in {@code m}, or null when it is not a conntrack event or does not decode. */
    FlowEvent decode(NetlinkMessage m) {
        int type = m.type();
        if (Nfnetlink.subsystem(type) != NFNL_SUBSYS_CTNETLINK) {
            return null;
        }
        EventType kind = switch (Nfnetlink.message(type)) {
            // As libnetfilter_conntrack: NEW with CREATE or EXCL is a new entry, without an update.
            case IPCTNL_MSG_CT_NEW -> (m.flags() & (Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL)) != 0
                    ? EventType.NEW : EventType.UPDATE;
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

    @Override
    public void close() {
        socket.close();
    }
}
