package dev.conntrace.conntrack;

import static dev.conntrace.conntrack.wire.Ctnetlink.*;

import dev.conntrace.conntrack.wire.ExpectDecoder;
import dev.conntrace.conntrack.wire.FlowDecoder;
import dev.conntrace.conntrack.wire.RequestWriter;
import dev.conntrace.conntrack.wire.StatsDecoder;
import dev.conntrace.netlink.DecodeException;
import dev.conntrace.netlink.DumpResult;
import dev.conntrace.netlink.MessageBuilder;
import dev.conntrace.netlink.MessageVisitor;
import dev.conntrace.netlink.Netlink;
import dev.conntrace.netlink.NetlinkException;
import dev.conntrace.netlink.NetlinkMessage;
import dev.conntrace.netlink.NetlinkSocket;
import dev.conntrace.netlink.netfilter.Nfgenmsg;
import dev.conntrace.netlink.netfilter.Nfnetlink;
import dev.conntrace.sys.Errno;
import dev.conntrace.sys.SocketConstants;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The conntrack table of one network namespace over one ctnetlink socket: dump, get, create,
 * update, delete, flush, count, per-CPU statistics; the expectation table: dump, get, create,
 * delete, flush.
 *
 * <pre>{@code
 * try (Conntrack ct = Conntrack.open()) {
 *     ct.dump(FlowFilter.of(AddressFamily.IPV4), flow -> System.out.println(flow));
 * }
 * }</pre>
 *
 * <p>Dumps are streamed: each flow is decoded from the receive buffer and handed to the consumer
 * before the next is read; nothing is collected. With {@link #receiveAhead(boolean)} a second thread
 * receives while the calling thread decodes and consumes. The consumer runs on the calling thread. Malformed messages are counted
 * ({@link #counters()}) and skipped. Kernel errors are {@link NetlinkException}s carrying errno and
 * the kernel's extended-ACK text. Not thread-safe (one socket); the socket belongs to the network
 * namespace of the thread that opened it.
 */
public final class Conntrack implements AutoCloseable {
    private final NetlinkSocket socket;
    private final DecodeCounters counters = new DecodeCounters();
    private final FlowDecoder decoder = new FlowDecoder(counters);
    private final StatsDecoder stats = new StatsDecoder(counters);
    private final ExpectDecoder expects = new ExpectDecoder(counters);
    private final DumpPipeline pipeline;
    private boolean receiveAhead;

    private Conntrack(NetlinkSocket socket) {
        this.socket = socket;
        this.pipeline = new DumpPipeline(socket);
    }

    /** Opens a ctnetlink socket in the calling thread's network namespace. */
    public static Conntrack open() throws NetlinkException {
        return new Conntrack(NetlinkSocket.open(SocketConstants.NETLINK_NETFILTER));
    }

    /** Opens a ctnetlink socket with {@code options} (e.g. a larger read buffer). */
    public static Conntrack open(NetlinkSocket.Options options) throws NetlinkException {
        return new Conntrack(NetlinkSocket.open(SocketConstants.NETLINK_NETFILTER, options));
    }

    /** A client over an open socket (a fake kernel in tests); takes ownership of it. */
    public static Conntrack over(NetlinkSocket socket) {
        return new Conntrack(Objects.requireNonNull(socket, "socket"));
    }

    /** Unknown attributes and malformed messages met so far. */
    public DecodeCounters counters() {
        return counters;
    }

    /**
     * With {@code on}, dumps receive on a second thread while the calling thread decodes and consumes
     * (at most 1 MiB of undecoded messages between the two); the consumer still runs on the calling
     * thread. It pays when the consumer's work per flow is large (formatting output) and a second CPU
     * is free; the messages then cross between cores, so for a light consumer on a quiet machine the
     * default, decoding inside the receive loop, is faster. Off by default.
     *
     * @return this client
     */
    public Conntrack receiveAhead(boolean on) {
        receiveAhead = on;
        return this;
    }

    private MessageBuilder request(int msg, int flags, int family) {
        MessageBuilder b = socket.request(Nfnetlink.type(NFNL_SUBSYS_CTNETLINK, msg), flags);
        Nfgenmsg.put(b, family, 0);
        return b;
    }

    /** Dumps every flow of both families to {@code consumer}. */
    public DumpSummary dump(Consumer<? super Flow> consumer) throws IOException {
        return dump(FlowFilter.ALL, consumer);
    }

    /**
     * Dumps the flows {@code filter} selects to {@code consumer}, one at a time. The filter's
     * kernel-side attributes are sent; when the kernel rejects one ({@code EINVAL}, {@code EOPNOTSUPP})
     * the dump is repeated unfiltered and the filter runs here.
     */
    public DumpSummary dump(FlowFilter filter, Consumer<? super Flow> consumer) throws IOException {
        return dump(IPCTNL_MSG_CT_GET, filter, consumer);
    }

    /** Like {@link #dump(FlowFilter, Consumer)}, zeroing each flow's counters as it is read ({@code IPCTNL_MSG_CT_GET_CTRZERO}). */
    public DumpSummary dumpAndZeroCounters(FlowFilter filter, Consumer<? super Flow> consumer) throws IOException {
        return dump(IPCTNL_MSG_CT_GET_CTRZERO, filter, consumer);
    }

    private DumpSummary dump(int msg, FlowFilter filter, Consumer<? super Flow> consumer) throws IOException {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(consumer, "consumer");
        if (filter.hasKernelAttributes()) {
            try {
                return dumpOnce(msg, filter, true, consumer);
            } catch (NetlinkException e) {
                if (e.errno() != Errno.EINVAL && e.errno() != Errno.EOPNOTSUPP) {
                    throw e;
                }
                // The kernel does not know a filter attribute: filter here instead.
            }
        }
        return dumpOnce(msg, filter, false, consumer);
    }

    private DumpSummary dumpOnce(int msg, FlowFilter filter, boolean kernelFilter, Consumer<? super Flow> consumer)
            throws IOException {
        MessageBuilder b = request(msg, 0, filter.family().code());
        if (kernelFilter) {
            if (filter.mark() != null) {
                b.addBe32(CTA_MARK, filter.mark());
                b.addBe32(CTA_MARK_MASK, filter.markMask());
            }
            if (filter.status() != null) {
                b.addBe32(CTA_STATUS, filter.status());
                b.addBe32(CTA_STATUS_MASK, filter.statusMask());
            }
            if (filter.zone() >= 0) {
                b.addBe16(CTA_ZONE, filter.zone());
            }
            if (filter.sendsProtocol()) {
                originalTupleFilter(b, filter);
            }
        }
        long malformedBefore = counters.malformed();
        long[] delivered = {0, 0};
        MessageVisitor visitor = m -> {
            Flow f = decodeFlow(m);
            if (f == null) {
                return;
            }
            if (filter.test(f)) {
                delivered[0]++;
                consumer.accept(f);
            } else {
                delivered[1]++;
            }
        };
        // Ahead: the kernel fills the next datagrams (inside recv, on the pipeline's thread) while
        // this thread decodes and consumes the ones it already sent.
        DumpResult r = receiveAhead ? pipeline.dump("conntrack dump", b, visitor) : socket.dump("conntrack dump", b, visitor);
        return new DumpSummary(delivered[0], delivered[1], counters.malformed() - malformedBefore, r.interrupted(),
                kernelFilter);
    }

    /**
     * The {@code CTA_FILTER} on the original tuple: the protocol number, the ports, and the exact
     * IPv4 source and destination when the filter names single hosts (networks and IPv6 addresses
     * are checked here only).
     *
     * <p>IPv6 addresses are never sent: the kernel's {@code ctnetlink_filter_match_tuple} (Linux 5.8
     * to at least 6.18) tests them with {@code !ipv6_addr_cmp(filter, ct)}, which is true when the
     * addresses are equal, so a flow whose address matches is dropped and the others are kept. The
     * request layout is right (the same nest selects IPv4 addresses and IPv6 ports correctly); the
     * comparison is inverted. Sending nothing for IPv6 addresses and checking them here gives the
     * right answer on every kernel.
     */
    private static void originalTupleFilter(MessageBuilder b, FlowFilter filter) {
        boolean v4 = filter.family() == AddressFamily.IPV4;
        TupleMatch o = filter.original();
        AddressMatch src = v4 && o.source() != null && o.source().isHost() && !o.source().address().v6() ? o.source() : null;
        AddressMatch dst = v4 && o.destination() != null && o.destination().isHost() && !o.destination().address().v6()
                ? o.destination() : null;
        boolean ports = filter.protocol().hasPorts();
        boolean sport = ports && o.sourcePort() != TupleMatch.ANY_PORT;
        boolean dport = ports && o.destinationPort() != TupleMatch.ANY_PORT;
        int flags = CTA_FILTER_F_CTA_PROTO_NUM | (src != null ? CTA_FILTER_F_CTA_IP_SRC : 0)
                | (dst != null ? CTA_FILTER_F_CTA_IP_DST : 0) | (sport ? CTA_FILTER_F_CTA_PROTO_SRC_PORT : 0)
                | (dport ? CTA_FILTER_F_CTA_PROTO_DST_PORT : 0);
        int f = b.beginNested(CTA_FILTER);
        b.addU32(CTA_FILTER_ORIG_FLAGS, flags);
        b.addU32(CTA_FILTER_REPLY_FLAGS, 0);
        b.endNested(f);
        int orig = b.beginNested(CTA_TUPLE_ORIG);
        if (src != null || dst != null) {
            int ip = b.beginNested(CTA_TUPLE_IP);
            if (src != null) {
                b.addAddress(CTA_IP_V4_SRC, src.address());
            }
            if (dst != null) {
                b.addAddress(CTA_IP_V4_DST, dst.address());
            }
            b.endNested(ip);
        }
        int proto = b.beginNested(CTA_TUPLE_PROTO);
        b.addU8(CTA_PROTO_NUM, filter.protocol().number());
        if (sport) {
            b.addBe16(CTA_PROTO_SRC_PORT, o.sourcePort());
        }
        if (dport) {
            b.addBe16(CTA_PROTO_DST_PORT, o.destinationPort());
        }
        b.endNested(proto);
        b.endNested(orig);
    }

    private Flow decodeFlow(NetlinkMessage m) {
        int type = m.type();
        if (Nfnetlink.subsystem(type) != NFNL_SUBSYS_CTNETLINK) {
            counters.countMalformed("message type 0x" + Integer.toHexString(type) + " is not ctnetlink");
            return null;
        }
        return decoder.decode(m);
    }

    /** The flow with original (or, when given as such, reply) tuple {@code tuple} in {@code zone}, if any. */
    public Optional<Flow> get(Tuple tuple, int zone) throws IOException {
        MessageBuilder b = request(IPCTNL_MSG_CT_GET, 0, tuple.isIpv6() ? 10 : 2);
        RequestWriter.tuple(b, CTA_TUPLE_ORIG, tuple);
        if (zone > 0) {
            b.addBe16(CTA_ZONE, zone);
        }
        Flow[] found = {null};
        try {
            socket.execute("conntrack get", b, m -> found[0] = decodeFlow(m));
        } catch (NetlinkException e) {
            if (e.errno() == Errno.ENOENT) {
                return Optional.empty();
            }
            throw e;
        }
        return Optional.ofNullable(found[0]);
    }

    /** {@link #get(Tuple, int)} in the default zone. */
    public Optional<Flow> get(Tuple tuple) throws IOException {
        return get(tuple, 0);
    }

    /**
     * Creates {@code flow} ({@code IPCTNL_MSG_CT_NEW} with {@code NLM_F_CREATE | NLM_F_EXCL}). It must
     * have an original tuple and a timeout; a missing reply tuple is the inverse of the original. A
     * status, when given, is sent with CONFIRMED set.
     *
     * @throws IllegalArgumentException when the original tuple or the timeout is missing
     * @throws NetlinkException e.g. {@code EEXIST} when the flow exists
     */
    public void create(Flow flow) throws IOException {
        if (flow.original() == null) {
            throw new IllegalArgumentException("a flow to create needs an original tuple");
        }
        if (!flow.hasTimeout()) {
            throw new IllegalArgumentException("a flow to create needs a timeout: " + flow.original());
        }
        Flow f = confirmed(flow.reply() != null ? flow : flow.toBuilder().reply(Tuples.inverse(flow.original())).build());
        MessageBuilder b = request(IPCTNL_MSG_CT_NEW, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL, family(f));
        RequestWriter.flow(b, f);
        socket.execute("conntrack create", b, null);
    }

    /**
     * Updates the existing flow with {@code flow}'s original tuple (and zone) to the values
     * {@code flow} carries ({@code IPCTNL_MSG_CT_NEW} without {@code NLM_F_CREATE}).
     *
     * @throws NetlinkException {@code ENOENT} when there is no such flow; {@code EBUSY} for a status change the kernel refuses
     */
    public void update(Flow flow) throws IOException {
        if (flow.original() == null) {
            throw new IllegalArgumentException("a flow to update needs an original tuple");
        }
        MessageBuilder b = request(IPCTNL_MSG_CT_NEW, 0, family(flow));
        RequestWriter.flow(b, confirmed(flow));
        socket.execute("conntrack update", b, null);
    }

    /**
     * Deletes the flow with original tuple {@code tuple} in {@code zone}; when {@code id} is not
     * null, only if the flow still has that id (so a recycled tuple is not deleted by mistake).
     *
     * @return false when there was no such flow ({@code ENOENT})
     */
    public boolean delete(Tuple tuple, int zone, Integer id) throws IOException {
        MessageBuilder b = request(IPCTNL_MSG_CT_DELETE, 0, tuple.isIpv6() ? 10 : 2);
        RequestWriter.tuple(b, CTA_TUPLE_ORIG, tuple);
        if (zone > 0) {
            b.addBe16(CTA_ZONE, zone);
        }
        if (id != null) {
            b.addBe32(CTA_ID, id);
        }
        try {
            socket.execute("conntrack delete", b, null);
            return true;
        } catch (NetlinkException e) {
            if (e.errno() == Errno.ENOENT) {
                return false;
            }
            throw e;
        }
    }

    /** Deletes {@code flow} by its original tuple, zone and id. */
    public boolean delete(Flow flow) throws IOException {
        return delete(flow.original(), flow.hasZone() ? flow.zone() : 0, flow.hasId() ? flow.id() : null);
    }

    /** Deletes every flow of {@code family} ({@link AddressFamily#ANY}: the whole table). */
    public void flush(AddressFamily family) throws IOException {
        socket.execute("conntrack flush", flushRequest(family), null);
    }

    /**
     * Deletes every flow of {@code family} whose {@code mark & mask == value & mask}, in the kernel
     * ({@code IPCTNL_MSG_CT_DELETE} without a tuple, with {@code CTA_MARK} and {@code CTA_MARK_MASK}),
     * in one request however many flows match.
     */
    public void flush(AddressFamily family, int mark, int mask) throws IOException {
        MessageBuilder b = flushRequest(family);
        b.addBe32(CTA_MARK, mark & mask);
        b.addBe32(CTA_MARK_MASK, mask);
        socket.execute("conntrack flush by mark", b, null);
    }

    private MessageBuilder flushRequest(AddressFamily family) {
        MessageBuilder b = socket.request(Nfnetlink.type(NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_DELETE), 0);
        // With nfgenmsg version 0 the kernel flushes every family whatever nfgen_family says; version 1
        // (what conntrack -F -f sends) makes it honour the family.
        b.putU8(family.code()).putU8(FLUSH_BY_FAMILY_VERSION).putBe16(0);
        return b;
    }

    /** nfgenmsg version that makes IPCTNL_MSG_CT_DELETE without a tuple flush one family only. */
    private static final int FLUSH_BY_FAMILY_VERSION = 1;

    /** The table's size and limit ({@code IPCTNL_MSG_CT_GET_STATS}); what {@code conntrack -C} reports. */
    public TableStats count() throws IOException {
        TableStats[] out = {null};
        socket.execute("conntrack count", request(IPCTNL_MSG_CT_GET_STATS, 0, 0), m -> out[0] = stats.table(m));
        if (out[0] == null) {
            throw new DecodeException(DecodeException.Kind.TRUNCATED, 0, "GET_STATS got an ACK but no statistics");
        }
        return out[0];
    }

    /** Per-CPU statistics ({@code IPCTNL_MSG_CT_GET_STATS_CPU}); one record per possible CPU. */
    public List<CpuStats> cpuStats() throws IOException {
        List<CpuStats> out = new ArrayList<>();
        socket.dump("conntrack cpu statistics", request(IPCTNL_MSG_CT_GET_STATS_CPU, 0, 0), m -> out.add(stats.cpu(m)));
        return out;
    }

    /**
     * The kernel refuses (EBUSY) a status that would clear CONFIRMED, which every entry it accepts
     * has; like libnetfilter_conntrack, set it whenever a status is sent.
     */
    private static Flow confirmed(Flow f) {
        return f.hasStatus() && !f.status().isConfirmed() ? f.toBuilder().status(f.status().with(Status.Bit.CONFIRMED)).build() : f;
    }

    /** Dumps the expectations of {@code family} to {@code consumer} ({@code IPCTNL_MSG_EXP_GET}). */
    public DumpSummary dumpExpectations(AddressFamily family, Consumer<? super Expect> consumer) throws IOException {
        MessageBuilder b = socket.request(Nfnetlink.type(NFNL_SUBSYS_CTNETLINK_EXP, IPCTNL_MSG_EXP_GET), 0);
        Nfgenmsg.put(b, family.code(), 0);
        long malformedBefore = counters.malformed();
        long[] delivered = {0};
        DumpResult r = socket.dump("conntrack expectation dump", b, m -> {
            Expect e = expects.decode(m);
            if (e != null) {
                delivered[0]++;
                consumer.accept(e);
            }
        });
        return new DumpSummary(delivered[0], 0, counters.malformed() - malformedBefore, r.interrupted(), true);
    }

    /**
     * Creates expectation {@code e} ({@code IPCTNL_MSG_EXP_NEW} with {@code NLM_F_CREATE | NLM_F_EXCL}).
     * It needs a master (the original tuple of an existing flow, looked up in {@code e}'s zone), an
     * expected tuple and a mask, all of one family. The master must have a helper: the kernel takes
     * the expectation's helper and its timeout from the master's helper (its policy's timeout wins
     * over {@code e}'s on current kernels).
     *
     * @throws IllegalArgumentException when master, tuple or mask is missing or the families differ
     * @throws NetlinkException {@code ENOENT} when there is no such master, {@code EOPNOTSUPP} when
     *     it has no helper, {@code EEXIST} when the expectation exists, {@code EBUSY} when it clashes
     *     with another master's
     */
    public void createExpectation(Expect e) throws IOException {
        if (e.master() == null || e.tuple() == null || e.mask() == null) {
            throw new IllegalArgumentException("an expectation to create needs a master, a tuple and a mask");
        }
        boolean v6 = e.tuple().isIpv6();
        if (e.master().isIpv6() != v6 || e.mask().isIpv6() != v6) {
            throw new IllegalArgumentException("an expectation's master, tuple and mask must be of one family: "
                    + e.master() + ", " + e.tuple() + ", " + e.mask());
        }
        MessageBuilder b = socket.request(Nfnetlink.type(NFNL_SUBSYS_CTNETLINK_EXP, IPCTNL_MSG_EXP_NEW),
                Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL);
        Nfgenmsg.put(b, v6 ? 10 : 2, 0);
        RequestWriter.expect(b, e);
        socket.execute("conntrack expectation create", b, null);
    }

    /** Deletes every expectation of {@code family} ({@code IPCTNL_MSG_EXP_DELETE} without a tuple). */
    public void flushExpectations(AddressFamily family) throws IOException {
        MessageBuilder b = socket.request(Nfnetlink.type(NFNL_SUBSYS_CTNETLINK_EXP, IPCTNL_MSG_EXP_DELETE), 0);
        Nfgenmsg.put(b, family.code(), 0);
        socket.execute("conntrack expectation flush", b, null);
    }

    private MessageBuilder expectRequest(int msg, Tuple expected, int zone) {
        MessageBuilder b = socket.request(Nfnetlink.type(NFNL_SUBSYS_CTNETLINK_EXP, msg), 0);
        Nfgenmsg.put(b, expected.isIpv6() ? 10 : 2, 0);
        RequestWriter.tuple(b, CTA_EXPECT_TUPLE, expected);
        if (zone > 0) {
            b.addBe16(CTA_EXPECT_ZONE, zone);
        }
        return b;
    }

    /** The expectation whose expected tuple is {@code expected} in {@code zone}, if any ({@code IPCTNL_MSG_EXP_GET}). */
    public Optional<Expect> getExpectation(Tuple expected, int zone) throws IOException {
        Expect[] found = {null};
        try {
            socket.execute("conntrack expectation get", expectRequest(IPCTNL_MSG_EXP_GET, expected, zone),
                    m -> found[0] = expects.decode(m));
        } catch (NetlinkException e) {
            if (e.errno() == Errno.ENOENT) {
                return Optional.empty();
            }
            throw e;
        }
        return Optional.ofNullable(found[0]);
    }

    /**
     * Deletes the expectation whose expected tuple is {@code expected} in {@code zone}
     * ({@code IPCTNL_MSG_EXP_DELETE} with {@code CTA_EXPECT_TUPLE}).
     *
     * @return false when there was no such expectation ({@code ENOENT})
     */
    public boolean deleteExpectation(Tuple expected, int zone) throws IOException {
        try {
            socket.execute("conntrack expectation delete", expectRequest(IPCTNL_MSG_EXP_DELETE, expected, zone), null);
            return true;
        } catch (NetlinkException e) {
            if (e.errno() == Errno.ENOENT) {
                return false;
            }
            throw e;
        }
    }

    private static int family(Flow f) {
        return f.isIpv6() ? 10 : 2;
    }

    @Override
    public void close() {
        socket.close();
    }
}
