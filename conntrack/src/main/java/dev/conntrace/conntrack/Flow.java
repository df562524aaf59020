package dev.conntrace.conntrack;

import java.util.Arrays;
import java.util.Objects;

/**
 * One conntrack entry as the kernel reports it over ctnetlink ({@code CTA_*} in
 * {@code linux/netfilter/nfnetlink_conntrack.h}), or as a caller describes it for a create, update or
 * delete request.
 *
 * <p>Immutable. Parts the kernel did not send are absent: object-valued accessors return {@code null}
 * and scalar ones have a {@code has...()} companion (their value is 0 when absent), so "mark 0" and
 * "no mark" stay distinguishable, as {@code conntrack} distinguishes them when printing. Unsigned
 * 32-bit kernel values (timeout, mark, id, use) are Java {@code int}s; read them with
 * {@link Integer#toUnsignedLong(int)}.
 */
public final class Flow {

    static final int HAS_TIMEOUT = 1;
    static final int HAS_MARK = 1 << 1;
    static final int HAS_ID = 1 << 2;
    static final int HAS_USE = 1 << 3;
    static final int HAS_ZONE = 1 << 4;
    static final int HAS_STATUS = 1 << 5;
    static final int HAS_SECMARK = 1 << 6;

    private final Tuple original;
    private final Tuple reply;
    private final Tuple master;
    private final int present;
    private final int status;
    private final int timeout;
    private final int mark;
    private final int secmark;
    private final int id;
    private final int use;
    private final int zone;
    private final ProtoInfo protoInfo;
    private final String helper;
    private final Counters countersOriginal;
    private final Counters countersReply;
    private final Timestamps timestamps;
    private final byte[] labels;
    private final byte[] labelsMask;
    private final String securityContext;
    private final SeqAdjust seqAdjustOriginal;
    private final SeqAdjust seqAdjustReply;
    private final Synproxy synproxy;
    private final NatRange natSource;
    private final NatRange natDestination;

    private Flow(Builder b) {
        original = b.original;
        reply = b.reply;
        master = b.master;
        present = b.present;
        status = b.status;
        timeout = b.timeout;
        mark = b.mark;
        secmark = b.secmark;
        id = b.id;
        use = b.use;
        zone = b.zone;
        protoInfo = b.protoInfo;
        helper = b.helper;
        countersOriginal = b.countersOriginal;
        countersReply = b.countersReply;
        timestamps = b.timestamps;
        labels = b.labels == null ? null : b.labels.clone();
        labelsMask = b.labelsMask == null ? null : b.labelsMask.clone();
        securityContext = b.securityContext;
        seqAdjustOriginal = b.seqAdjustOriginal;
        seqAdjustReply = b.seqAdjustReply;
        synproxy = b.synproxy;
        natSource = b.natSource;
        natDestination = b.natDestination;
    }

    /** A new, empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this flow's values. */
    public Builder toBuilder() {
        return new Builder().from(this);
    }

    /** The original-direction tuple ({@code CTA_TUPLE_ORIG}); null only in hand-built request flows. */
    public Tuple original() {
        return original;
    }

    /** The reply-direction tuple ({@code CTA_TUPLE_REPLY}), or null. */
    public Tuple reply() {
        return reply;
    }

    /** The master connection's tuple for expected connections ({@code CTA_TUPLE_MASTER}), or null. */
    public Tuple master() {
        return master;
    }

    /** True for an IPv6 flow (judged by whichever tuple is present). */
    public boolean isIpv6() {
        Tuple t = original != null ? original : reply;
        return t != null && t.isIpv6();
    }

    /** The L4 protocol of the original (or reply) tuple, or null when there is no tuple. */
    public L4Protocol protocol() {
        Tuple t = original != null ? original : reply;
        return t == null ? null : t.protocol();
    }

    /** True when the kernel sent {@code CTA_STATUS} (or the caller set a status). */

    public boolean hasStatus() {
        return (present & HAS_STATUS) != 0;
    }

    /** Status bits ({@code CTA_STATUS}); {@link Status#NONE} when absent. */
    public Status status() {
        return new Status(status);
    }

    /** Raw status word, 0 when absent. */
    public int statusBits() {
        return status;
    }

    /** True when a timeout ({@code CTA_TIMEOUT}) is present. */

    public boolean hasTimeout() {
        return (present & HAS_TIMEOUT) != 0;
    }

    /** Seconds until the entry expires ({@code CTA_TIMEOUT}, unsigned). */
    public int timeout() {
        return timeout;
    }

    /** True when a mark ({@code CTA_MARK}) is present, even 0. */

    public boolean hasMark() {
        return (present & HAS_MARK) != 0;
    }

    /** Connection mark ({@code CTA_MARK}, unsigned). */
    public int mark() {
        return mark;
    }

    /**
     * True when a security mark ({@code CTA_SECMARK}) is present. Linux stopped sending it in 2.6.37
     * (it sends the security context's name, {@link #securityContext()}, instead); older kernels and
     * requests built here may carry it.
     */
    public boolean hasSecmark() {
        return (present & HAS_SECMARK) != 0;
    }

    /** Security mark ({@code CTA_SECMARK}, unsigned), 0 when absent. */
    public int secmark() {
        return secmark;
    }

    /** True when the kernel id ({@code CTA_ID}) is present. */

    public boolean hasId() {
        return (present & HAS_ID) != 0;
    }

    /** The kernel's id of this entry ({@code CTA_ID}, unsigned). */
    public int id() {
        return id;
    }

    /** True when the reference count ({@code CTA_USE}) is present. */

    public boolean hasUse() {
        return (present & HAS_USE) != 0;
    }

    /** Reference count ({@code CTA_USE}, unsigned). */
    public int use() {
        return use;
    }

    /** True when a zone for both directions ({@code CTA_ZONE}) is present; absent means zone 0. */

    public boolean hasZone() {
        return (present & HAS_ZONE) != 0;
    }

    /** Conntrack zone for both directions ({@code CTA_ZONE}, 0..65535). */
    public int zone() {
        return zone;
    }

    /** Protocol state ({@code CTA_PROTOINFO}), or null. */
    public ProtoInfo protoInfo() {
        return protoInfo;
    }

    /** The TCP state when the protocol info is TCP, else null. */
    public TcpState tcpState() {
        return protoInfo instanceof ProtoInfo.Tcp t ? t.state() : null;
    }

    /** Name of the attached helper ({@code CTA_HELP_NAME}), or null. */
    public String helper() {
        return helper;
    }

    /** Original-direction accounting ({@code CTA_COUNTERS_ORIG}), or null. */
    public Counters countersOriginal() {
        return countersOriginal;
    }

    /** Reply-direction accounting ({@code CTA_COUNTERS_REPLY}), or null. */
    public Counters countersReply() {
        return countersReply;
    }

    /** Start/stop time ({@code CTA_TIMESTAMP}), or null. */
    public Timestamps timestamps() {
        return timestamps;
    }

    /** Connection labels bitmap ({@code CTA_LABELS}, bit i = byte i/8 ... as the kernel stores it), a copy, or null. */
    public byte[] labels() {
        return labels == null ? null : labels.clone();
    }

    /** The labels mask of an update request ({@code CTA_LABELS_MASK}), a copy, or null. */
    public byte[] labelsMask() {
        return labelsMask == null ? null : labelsMask.clone();
    }

    /** True when label bit {@code bit} is set (the kernel's bitmap is an array of host-order 32-bit words). */
    public boolean hasLabel(int bit) {
        return testLabelBit(labels, bit);
    }

    static boolean testLabelBit(byte[] bitmap, int bit) {
        if (bitmap == null || bit < 0 || bit >= bitmap.length * 8) {
            return false;
        }
        // The kernel keeps labels as unsigned long words and ctnetlink copies them raw: on a
        // little-endian host bit n lives in byte n/8 at position n%8.
        return (bitmap[bit >>> 3] & (1 << (bit & 7))) != 0;
    }

    /** Number of label bitmap bits (0 when there are no labels). */
    public int labelBits() {
        return labels == null ? 0 : labels.length * 8;
    }

    /** Security context name ({@code CTA_SECCTX_NAME}), or null. */
    public String securityContext() {
        return securityContext;
    }

    /** Sequence adjustment of the original direction, or null. */
    public SeqAdjust seqAdjustOriginal() {
        return seqAdjustOriginal;
    }

    /** Sequence adjustment of the reply direction, or null. */
    public SeqAdjust seqAdjustReply() {
        return seqAdjustReply;
    }

    /** SYN proxy state ({@code CTA_SYNPROXY}), or null. */
    public Synproxy synproxy() {
        return synproxy;
    }

    /** Source NAT mapping ({@code CTA_NAT_SRC}; sent by callers that create NATed entries), or null. */
    public NatRange natSource() {
        return natSource;
    }

    /** Destination NAT mapping ({@code CTA_NAT_DST}), or null. */
    public NatRange natDestination() {
        return natDestination;
    }

    /**
     * True when the reply direction does not mirror the original one, which is how NAT shows in a
     * kernel-reported entry (its SRC_NAT / DST_NAT status bits say which kind).
     */
    public boolean isNatted() {
        if (original == null || reply == null) {
            return false;
        }
        return !original.source().equals(reply.destination()) || !original.destination().equals(reply.source())
                || (original.protocol().hasPorts() && (original.sourcePort() != reply.destinationPort()
                        || original.destinationPort() != reply.sourcePort()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Flow f
                && present == f.present && status == f.status && timeout == f.timeout && mark == f.mark
                && secmark == f.secmark
                && id == f.id && use == f.use && zone == f.zone
                && Objects.equals(original, f.original) && Objects.equals(reply, f.reply)
                && Objects.equals(master, f.master) && Objects.equals(protoInfo, f.protoInfo)
                && Objects.equals(helper, f.helper) && Objects.equals(countersOriginal, f.countersOriginal)
                && Objects.equals(countersReply, f.countersReply) && Objects.equals(timestamps, f.timestamps)
                && Arrays.equals(labels, f.labels) && Arrays.equals(labelsMask, f.labelsMask)
                && Objects.equals(securityContext, f.securityContext)
                && Objects.equals(seqAdjustOriginal, f.seqAdjustOriginal)
                && Objects.equals(seqAdjustReply, f.seqAdjustReply) && Objects.equals(synproxy, f.synproxy)
                && Objects.equals(natSource, f.natSource) && Objects.equals(natDestination, f.natDestination);
    }

    @Override
    public int hashCode() {
        return Objects.hash(original, reply, status, mark, id, zone);
    }

    /** A one-line description for logs; see {@code text.ConntrackText} for conntrack's own format. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Flow[");
        sb.append(original);
        if (reply != null) {
            sb.append(" reply ").append(reply);
        }
        if (hasStatus()) {
            sb.append(" status=").append(status());
        }
        if (protoInfo != null) {
            sb.append(' ').append(protoInfo);
        }
        if (hasTimeout()) {
            sb.append(" timeout=").append(Integer.toUnsignedString(timeout));
        }
        if (hasMark()) {
            sb.append(" mark=").append(Integer.toUnsignedString(mark));
        }
        if (hasSecmark()) {
            sb.append(" secmark=").append(Integer.toUnsignedString(secmark));
        }
        if (hasZone()) {
            sb.append(" zone=").append(zone);
        }
        if (hasId()) {
            sb.append(" id=").append(Integer.toUnsignedString(id));
        }
        return sb.append(']').toString();
    }

    /**
     * Mutable builder of {@link Flow}s; reusable through {@link #reset()} (the decoder keeps one per
     * socket). Not thread-safe.
     */
    public static final class Builder {
        private Tuple original;
        private Tuple reply;
        private Tuple master;
        private int present;
        private int status;
        private int timeout;
        private int mark;
        private int secmark;
        private int id;
        private int use;
        private int zone;
        private ProtoInfo protoInfo;
        private String helper;
        private Counters countersOriginal;
        private Counters countersReply;
        private Timestamps timestamps;
        private byte[] labels;
        private byte[] labelsMask;
        private String securityContext;
        private SeqAdjust seqAdjustOriginal;
        private SeqAdjust seqAdjustReply;
        private Synproxy synproxy;
        private NatRange natSource;
        private NatRange natDestination;

        Builder() {}

        /** Clears every field so the builder can describe the next flow. */
        public Builder reset() {
            original = reply = master = null;
            present = status = timeout = mark = secmark = id = use = zone = 0;
            protoInfo = null;
            helper = null;
            countersOriginal = countersReply = null;
            timestamps = null;
            labels = labelsMask = null;
            securityContext = null;
            seqAdjustOriginal = seqAdjustReply = null;
            synproxy = null;
            natSource = natDestination = null;
            return this;
        }

        Builder from(Flow f) {
            original = f.original;
            reply = f.reply;
            master = f.master;
            present = f.present;
            status = f.status;
            timeout = f.timeout;
            mark = f.mark;
            secmark = f.secmark;
            id = f.id;
            use = f.use;
            zone = f.zone;
            protoInfo = f.protoInfo;
            helper = f.helper;
            countersOriginal = f.countersOriginal;
            countersReply = f.countersReply;
            timestamps = f.timestamps;
            labels = f.labels;
            labelsMask = f.labelsMask;
            securityContext = f.securityContext;
            seqAdjustOriginal = f.seqAdjustOriginal;
            seqAdjustReply = f.seqAdjustReply;
            synproxy = f.synproxy;
            natSource = f.natSource;
            natDestination = f.natDestination;
            return this;
        }

        /** Sets the original-direction tuple. */

        public Builder original(Tuple t) {
            original = t;
            return this;
        }

        /** Sets the reply-direction tuple. */

        public Builder reply(Tuple t) {
            reply = t;
            return this;
        }

        /** Sets the master tuple of an expected connection. */

        public Builder master(Tuple t) {
            master = t;
            return this;
        }

        /** Sets the status bits. */

        public Builder status(Status s) {
            return statusBits(s.bits());
        }

        /** Sets the raw status word. */

        public Builder statusBits(int bits) {
            status = bits;
            present |= HAS_STATUS;
            return this;
        }

        /** Seconds to live (unsigned 32 bits). */
        public Builder timeout(int seconds) {
            timeout = seconds;
            present |= HAS_TIMEOUT;
            return this;
        }

        /** Sets the mark (unsigned 32 bits). */

        public Builder mark(int m) {
            mark = m;
            present |= HAS_MARK;
            return this;
        }

        /** Sets the security mark ({@code CTA_SECMARK}, unsigned 32 bits). */
        public Builder secmark(int m) {
            secmark = m;
            present |= HAS_SECMARK;
            return this;
        }

        /** Sets the kernel id (unsigned 32 bits). */

        public Builder id(int i) {
            id = i;
            present |= HAS_ID;
            return this;
        }

        /** Sets the reference count. */

        public Builder use(int u) {
            use = u;
            present |= HAS_USE;
            return this;
        }

        /** Zone for both directions, 0..65535. */
        public Builder zone(int z) {
            if (z < 0 || z > 0xFFFF) {
                throw new IllegalArgumentException("zone " + z + " is outside 0..65535");
            }
            zone = z;
            present |= HAS_ZONE;
            return this;
        }

        /** Sets the protocol state, or null for none. */

        public Builder protoInfo(ProtoInfo p) {
            protoInfo = p;
            return this;
        }

        /** Shorthand for {@code protoInfo(ProtoInfo.Tcp.of(state))}. */
        public Builder tcpState(TcpState state) {
            protoInfo = ProtoInfo.Tcp.of(state);
            return this;
        }

        /** Sets the helper name, or null for none. */

        public Builder helper(String name) {
            helper = name;
            return this;
        }

        /** Sets the original-direction counters, or null. */

        public Builder countersOriginal(Counters c) {
            countersOriginal = c;
            return this;
        }

        /** Sets the reply-direction counters, or null. */

        public Builder countersReply(Counters c) {
            countersReply = c;
            return this;
        }

        /** Sets start/stop times, or null. */

        public Builder timestamps(Timestamps t) {
            timestamps = t;
            return this;
        }

        /** The labels bitmap; the array is copied when the flow is built. */
        public Builder labels(byte[] bitmap) {
            labels = bitmap;
            return this;
        }

        /** The labels mask (update requests); copied when the flow is built. */
        public Builder labelsMask(byte[] bitmap) {
            labelsMask = bitmap;
            return this;
        }

        /** Sets the security context name, or null. */

        public Builder securityContext(String name) {
            securityContext = name;
            return this;
        }

        /** Sets the original-direction sequence adjustment, or null. */

        public Builder seqAdjustOriginal(SeqAdjust s) {
            seqAdjustOriginal = s;
            return this;
        }

        /** Sets the reply-direction sequence adjustment, or null. */

        public Builder seqAdjustReply(SeqAdjust s) {
            seqAdjustReply = s;
            return this;
        }

        /** Sets the SYN proxy state, or null. */

        public Builder synproxy(Synproxy s) {
            synproxy = s;
            return this;
        }

        /** Sets the source NAT mapping of a create request, or null. */

        public Builder natSource(NatRange n) {
            natSource = n;
            return this;
        }

        /** Sets the destination NAT mapping of a create request, or null. */

        public Builder natDestination(NatRange n) {
            natDestination = n;
            return this;
        }

        /** The original tuple set so far (the decoder checks it). */
        public Tuple original() {
            return original;
        }

        /** An immutable flow with the values set so far. */
        public Flow build() {
            if (original != null && reply != null && original.isIpv6() != reply.isIpv6()) {
                throw new IllegalArgumentException("original and reply tuples are of different families");
            }
            return new Flow(this);
        }
    }
}
