package dev.conntrace.reassembly;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Objects;

/**
 * Reassembles TCP segments into ordered bytes per direction and hands them to each connection's
 * {@link Stream}. One assembler per thread; assemblers may share a {@link StreamPool}.
 *
 * <p>Policy: the first copy of a byte wins (later copies are counted as overlap); a gap is waited for
 * until the buffer caps, the stop-waiting age, a RST or the end of input force skipping it (counted as
 * missing); bytes cut by the snapshot length are missing at once; a RST ends both directions; data
 * after a direction's FIN and segments after the connection completed are counted, never delivered, and
 * never resurrect it; a SYN (without ACK) on a completed 4-tuple starts a new connection; segments with
 * {@link ChecksumStatus#BAD} are counted and not used.
 *
 * <p>In order, a segment is delivered as a view of its own memory with no copy and no allocation;
 * only out-of-order and kept bytes are copied into pooled pages.
 */
public final class Assembler {
    private final StreamPool pool;
    private final AssemblerConfig config;
    private final PagePool pages;
    private final ScatterGather sg = new ScatterGather();
    private final FlowKey probe = new FlowKey();
    private final ArrayList<Piece> releaseAfterCall = new ArrayList<>();
    private boolean callOpen;
    private long insertedBytes;
    /** How far behind the next expected byte a RST's sequence may be and still end the connection. */
    private static final long RST_BEHIND = 1 << 20;

    private long segments;
    private long created;
    private long refused;
    private long badChecksum;
    private long ignored;
    private long late;
    private long gapsSkipped;

    public Assembler(StreamPool pool) {
        this.pool = Objects.requireNonNull(pool);
        this.config = pool.config();
        this.pages = new PagePool(config.pageSize(), config.maxIdlePagesPerAssembler());
    }

    /** The pool this assembler works on. */
    public StreamPool pool() {
        return pool;
    }

    /** Counters so far. */
    public AssemblerStats stats() {
        return new AssemblerStats(segments, created, refused, badChecksum, ignored, late, gapsSkipped,
                pages.allocated(), pages.idle());
    }

    /** Processes one segment; its payload is not referenced after the call returns. */
    public void assemble(TcpSegment s) {
        segments++;
        int side = probe.set(s);
        Connection c = pool.get(probe);
        if (c != null && s.has(TcpFlags.SYN) && !s.has(TcpFlags.ACK)) {
            synchronized (c) {
                if (startsNewConnection(c, side, s)) {
                    if (!c.completed) {
                        complete(c, EndReason.REUSED);
                    }
                    c = pool.create(probe, s, side, c);
                    created++;
                }
            }
        }
        if (c == null) {
            c = pool.create(probe, s, side, null);
            if (c == null) {
                refused++;
                return;
            }
            created++;
        }
        synchronized (c) {
            process(c, side, s);
        }
    }

    /**
     * Stops waiting for gaps whose oldest buffered segment arrived before {@code stopWaitingBefore}
     * (skipping them, counted as missing), and completes connections idle since before
     * {@code closeBefore} ({@link EndReason#TIMEOUT}), removing them and completed ones from the pool.
     * Times are capture times in nanoseconds. Also halves this assembler's idle pages.
     */
    public void flushOlderThan(long stopWaitingBefore, long closeBefore) {
        for (Connection c : pool.all()) {
            synchronized (c) {
                if (c.completed && c.lastNanos < stopWaitingBefore) {
                    pool.remove(c);
                    continue;
                }
                if (c.lastNanos < closeBefore) {
                    if (!c.completed) {
                        complete(c, EndReason.TIMEOUT);
                    }
                    pool.remove(c);
                    continue;
                }
                if (c.completed) {
                    continue;
                }
                for (int side = 0; side < 2 && !c.completed; side++) {
                    StreamHalf h = c.half(side);
                    while (!h.closed && !h.pending.isEmpty() && h.pending.getFirst().timestampNanos < stopWaitingBefore) {
                        skipTo(c, h, h.pending.getFirst().start);
                        drain(c, h);
                        checkFin(c, h);
                    }
                }
            }
        }
        pages.shrink();
    }

    /**
     * End of input: delivers everything buffered (skipping gaps), completes every connection of the pool
     * ({@link EndReason#EOF}) and empties it. Call it once no assembler of the pool is assembling.
     */
    public void flushAll() {
        for (Connection c : pool.all()) {
            synchronized (c) {
                if (!c.completed) {
                    complete(c, EndReason.EOF);
                }
                pool.remove(c);
            }
        }
        pages.shrink();
    }

    private static boolean startsNewConnection(Connection c, int side, TcpSegment s) {
        if (c.completed) {
            return true;
        }
        StreamHalf h = c.half(side);
        if (!h.synSeen || s.seq == Seq.add(h.base, -1)) {
            return false;
        }
        return h.next > 0 || h.finAt >= 0 || h.reverse().finAt >= 0 || h.reverse().next > 0;
    }

    private void process(Connection c, int side, TcpSegment s) {
        StreamHalf h = c.half(side);
        long ts = s.timestampNanos;
        h.packets++;
        if (h.firstNanos == Long.MIN_VALUE) {
            h.firstNanos = ts;
        }
        h.lastNanos = ts;
        if (ts > c.lastNanos) {
            c.lastNanos = ts;
        }
        if (c.resetAt != Long.MIN_VALUE && !c.completed && ts - c.resetAt > config.rstGraceNanos()) {
            complete(c, EndReason.RST);
        }
        if (s.checksum == ChecksumStatus.BAD) {
            h.badChecksum++;
            badChecksum++;
            if (!c.completed) {
                if (s.has(TcpFlags.SYN) && !h.started) {
                    // only its sequence number is taken, provisionally: a good SYN later still sets it
                    h.started = true;
                    h.base = Seq.add(s.seq, 1);
                    h.next = 0;
                }
                keepSuspect(c, h, s);
            }
            return;
        }
        if (c.completed) {
            h.latePackets++;
            h.lateBytes += s.payloadLength + (long) s.missingTail;
            late++;
            return;
        }
        if (!c.stream.accept(s, h)) {
            ignored++;
            return;
        }
        int flags = s.flags;
        long dataSeq = s.seq;
        if ((flags & TcpFlags.SYN) != 0) {
            if (!c.sawSyn) {
                c.sawSyn = true;
                c.clientSide = (flags & TcpFlags.ACK) != 0 ? 1 - side : side;
            }
            dataSeq = Seq.add(s.seq, 1);
            if (!h.started || (!h.synSeen && h.next == 0 && h.pending.isEmpty() && !h.startDelivered)) {
                if (h.started && !h.suspects.isEmpty()) {
                    rebaseSuspects(c, h, dataSeq);
                }
                h.started = true;
                h.synSeen = true;
                h.base = dataSeq;
                h.next = 0;
            }
        }
        int len = s.payloadLength;
        int miss = s.missingTail;
        boolean rst = (flags & TcpFlags.RST) != 0;
        if (rst && !validRst(h, s, dataSeq)) {
            h.invalidRst++;
            return;
        }
        if (!h.started && (len + miss > 0 || (flags & TcpFlags.FIN) != 0)) {
            h.started = true;
            h.base = dataSeq;
            h.next = 0;
        }
        if (h.started) {
            long rel = h.offsetOf(dataSeq);
            if (len + miss > 0) {
                if (h.closed) {
                    h.lateBytes += len + (long) miss;
                } else {
                    insert(c, h, s, rel, len, miss);
                }
            }
            if ((flags & TcpFlags.FIN) != 0 && !h.closed && h.finAt < 0) {
                long finAt = rel + len + miss;
                if (finAt >= h.next) {
                    h.finAt = finAt;
                }
            }
        }
        if (rst) {
            resetFrom(c, h, ts);
            return;
        }
        checkFin(c, h);
        if ((flags & TcpFlags.ACK) != 0 && !c.completed) {
            useAckedSuspects(c, h.reverse(), s.ack);
            giveUpAckedGap(c, h.reverse(), s.ack);
        }
    }

    /**
     * Bytes the sender must have moved on past an acknowledged gap before it is given up
     * (see {@link #giveUpAckedGap}).
     */
    static final long ACKED_GAP_PATIENCE = 64 << 10;

    /**
     * A gap the receiver acknowledged was received by it and missed by the capture: no retransmission is
     * coming (short of a spurious one), so waiting for it only holds buffers until the stop-waiting age. It is
     * skipped (counted as missing) once the acknowledgement covers buffered bytes after the gap and either
     * {@value #ACKED_GAP_PATIENCE} bytes are buffered after it (a copy arriving out of order in the capture,
     * as when two interfaces are merged, comes well before that) or the acknowledgement covers the FIN.
     */
    private void giveUpAckedGap(Connection c, StreamHalf h, long ack) {
        if (h.pending.isEmpty() || !h.started || h.closed) {
            return;
        }
        Piece first = h.pending.getFirst();
        long acked = h.offsetOf(ack);
        if (first.start <= h.next || acked <= first.start) {
            return;
        }
        boolean finAcked = h.finAt >= 0 && acked > h.finAt;
        if (!finAcked && h.pending.getLast().end() - first.start < ACKED_GAP_PATIENCE) {
            return;
        }
        skipTo(c, h, first.start);
        drain(c, h);
        checkFin(c, h);
    }

    /**
     * A RST fits when its sequence is near the next expected byte of its sender; before the sender sent
     * anything, when it acknowledges the peer's SYN (RFC 9293 section 3.10.7.3, RFC 5961).
     */
    private boolean validRst(StreamHalf h, TcpSegment s, long seq) {
        if (!h.started) {
            StreamHalf peer = h.reverse();
            return !peer.synSeen || (s.has(TcpFlags.ACK) && s.ack == peer.base);
        }
        long rel = h.offsetOf(seq);
        return rel >= h.next - RST_BEHIND && rel <= h.next + config.maxSeqJump();
    }

    /** A valid RST ends its sender's direction now and the other after the grace for in-flight data. */
    private void resetFrom(Connection c, StreamHalf h, long ts) {
        if (!h.closed) {
            flushHalf(c, h, endOf(h));
            closeHalf(c, h, EndReason.RST);
        }
        if (h.reverse().closed) {
            if (!c.completed) {
                c.completed = true;
                c.stream.completed(c);
            }
        } else if (c.resetAt == Long.MIN_VALUE) {
            c.resetAt = ts;
        }
    }

    /** Bad-checksum bytes below what the receiver acknowledged were evidently fine: use them for the gaps. */
    private void useAckedSuspects(Connection c, StreamHalf h, long ack) {
        if (h.suspects.isEmpty() || !h.started || h.closed) {
            return;
        }
        long acked = h.offsetOf(ack);
        if (acked <= h.next) {
            return;
        }
        fillFromSuspects(c, h, acked);
        if (!h.pending.isEmpty() && h.pending.getFirst().start == h.next) {
            drain(c, h);
            checkFin(c, h);
        }
    }

    /** Moves kept bad-checksum bytes to offsets counted from {@code newBase}; those before it are dropped. */
    private void rebaseSuspects(Connection c, StreamHalf h, long newBase) {
        long shift = Seq.diff(h.base, newBase);
        long freed = 0;
        for (int i = 0; i < h.suspects.size(); i++) {
            Suspect q = h.suspects.get(i);
            long start = q.start + shift;
            if (start < 0) {
                freed += q.data.length;
                h.suspects.remove(i--);
            } else {
                h.suspects.set(i, new Suspect(start, q.data, q.timestampNanos, q.packetIndex));
            }
        }
        releaseReserved(c, freed);
    }

    private void keepSuspect(Connection c, StreamHalf h, TcpSegment s) {
        if (!h.started || h.closed || s.payloadLength == 0) {
            return;
        }
        long rel = h.offsetOf(s.has(TcpFlags.SYN) ? Seq.add(s.seq, 1) : s.seq);
        long from = Math.max(rel, h.next);
        long to = rel + s.payloadLength;
        if (h.finAt >= 0) {
            to = Math.min(to, h.finAt);
        }
        if (to <= from || from - h.next > config.maxSeqJump() || !tryReserve(c, to - from)) {
            return;
        }
        byte[] d = new byte[(int) (to - from)];
        MemorySegment.copy(s.payload, ValueLayout.JAVA_BYTE, s.payloadOffset + (from - rel), d, 0, d.length);
        h.suspects.add(new Suspect(from, d, s.timestampNanos, s.packetIndex));
    }

    /** Inserts suspect bytes below {@code upTo} where no good bytes are buffered, then forgets suspects below it. */
    private void fillFromSuspects(Connection c, StreamHalf h, long upTo) {
        long freed = 0;
        for (int i = 0; i < h.suspects.size(); i++) {
            Suspect q = h.suspects.get(i);
            long from = Math.max(q.start, h.next);
            long to = Math.min(q.end(), upTo);
            if (from < to) {
                insertedBytes = 0;
                long used = insertRange(h, MemorySegment.ofArray(q.data), from - q.start, from, to, q.timestampNanos,
                        q.packetIndex, false, false);
                forceReserve(c, used);
                h.badChecksumBytesUsed += insertedBytes;
            }
            if (q.end() <= upTo) {
                freed += q.data.length;
                h.suspects.remove(i--);
            }
        }
        releaseReserved(c, freed);
    }

    /** The furthest offset anything buffered for {@code h} reaches (its FIN included). */
    private static long endOf(StreamHalf h) {
        long upTo = h.next;
        if (!h.pending.isEmpty()) {
            upTo = Math.max(upTo, h.pending.getLast().end());
        }
        for (Suspect q : h.suspects) {
            upTo = Math.max(upTo, q.end());
        }
        if (h.finAt >= 0) {
            upTo = Math.max(upTo, h.finAt);
        }
        return upTo;
    }

    private void checkFin(Connection c, StreamHalf h) {
        if (!h.closed && h.finAt >= 0 && h.next >= h.finAt) {
            closeHalf(c, h, EndReason.FIN);
            if (h.reverse().closed) {
                c.completed = true;
                c.stream.completed(c);
            }
        }
    }

    /** Inserts data [rel, rel+len) followed by a snaplen hole of {@code miss} bytes. */
    private void insert(Connection c, StreamHalf h, TcpSegment s, long rel, int len, int miss) {
        long dStart = rel;
        long dEnd = rel + len;
        long end = dEnd + miss;
        if (h.finAt >= 0 && end > h.finAt) {
            long cut = Math.max(rel, h.finAt);
            h.lateBytes += end - cut;
            end = cut;
            dEnd = Math.min(dEnd, end);
        }
        if (dStart < h.next) {
            long covered = Math.min(dEnd, h.next);
            if (covered > dStart) {
                // bytes before offset 0 (a stream seen without its SYN) are late, the rest overlap
                h.lateBytes += Math.max(0, Math.min(covered, 0) - dStart);
                h.overlap += Math.max(0, covered - Math.max(dStart, 0));
            }
            if (end <= h.next) {
                return;
            }
            dStart = Math.max(dStart, h.next);
            dEnd = Math.max(dEnd, dStart);
        }
        long jump = dStart - h.next;
        if (jump > config.maxSeqJump()) {
            if (++h.outOfWindowRun < config.resyncAfter()) {
                h.outOfWindow++;
                return;
            }
            flushHalf(c, h, dStart);
        }
        h.outOfWindowRun = 0;
        long need = pagesFor(dEnd - dStart);
        if (dStart > h.next) {
            boolean reserved = false;
            while (dStart > h.next && !(reserved = tryReserve(c, need))) {
                long target = h.pending.isEmpty() ? dStart : Math.min(h.pending.getFirst().start, dStart);
                skipTo(c, h, target);
                drain(c, h);
            }
            if (!reserved) {
                // The gap before the segment was skipped: it is in order now (maybe partly delivered already).
                if (dStart < h.next) {
                    h.overlap += Math.max(0, Math.min(dEnd, h.next) - dStart);
                    if (end <= h.next) {
                        return;
                    }
                    dStart = h.next;
                    dEnd = Math.max(dEnd, dStart);
                }
                need = pagesFor(dEnd - dStart);
            }
            if (reserved) {
                storeFirstWins(c, h, s, rel, dStart, dEnd, end, need);
                return;
            }
        }
        if (h.pending.isEmpty() || h.pending.getFirst().start >= end) {
            deliverDirect(c, h, s.payload, s.payloadOffset + (dStart - rel), (int) (dEnd - dStart), (int) (end - dEnd),
                    s.timestampNanos, s.packetIndex);
            return;
        }
        // In order but overlapping buffered pieces: store what is new (first copy wins), then deliver.
        forceReserve(c, need);
        storeFirstWins(c, h, s, rel, dStart, dEnd, end, need);
        drain(c, h);
    }

    /** Copies the parts of [dStart, dEnd) not yet buffered into pieces, then the hole [dEnd, end). */
    private void storeFirstWins(Connection c, StreamHalf h, TcpSegment s, long rel, long dStart, long dEnd, long end,
            long reserved) {
        long used = insertRange(h, s.payload, s.payloadOffset + (dStart - rel), dStart, dEnd, s.timestampNanos,
                s.packetIndex, false, true);
        insertRange(h, s.payload, 0, dEnd, end, s.timestampNanos, s.packetIndex, true, false);
        releaseReserved(c, reserved - used);
    }

    private long insertRange(StreamHalf h, MemorySegment src, long srcOff, long from, long to, long ts, long index,
            boolean hole, boolean countOverlap) {
        ArrayList<Piece> p = h.pending;
        long used = 0;
        int i = 0;
        if (!p.isEmpty() && p.getLast().end() <= from) {
            i = p.size(); // the usual case: data after everything buffered
        }
        while (i < p.size() && p.get(i).end() <= from) {
            i++;
        }
        long pos = from;
        while (pos < to) {
            if (i < p.size() && p.get(i).start <= pos) {
                Piece q = p.get(i);
                long ovEnd = Math.min(to, q.end());
                if (countOverlap) {
                    h.overlap += ovEnd - pos;
                }
                pos = ovEnd;
                i++;
                continue;
            }
            long fragEnd = i < p.size() ? Math.min(to, p.get(i).start) : to;
            int n = (int) (fragEnd - pos);
            Piece q = hole ? Piece.hole(pos, n, ts, index) : Piece.copy(pos, src, srcOff + (pos - from), n, ts, index, pages);
            used += q.footprint(pages.pageSize());
            insertedBytes += hole ? 0 : n;
            p.add(i++, q);
            pos = fragEnd;
        }
        return used;
    }

    private long pagesFor(long bytes) {
        int ps = pages.pageSize();
        return (bytes + ps - 1) / ps * ps;
    }

    private boolean tryReserve(Connection c, long bytes) {
        if (bytes == 0) {
            return true;
        }
        if (c.buffered + bytes > config.maxBufferedPerConnection() || !pool.tryReserve(bytes)) {
            return false;
        }
        c.buffered += bytes;
        return true;
    }

    private void forceReserve(Connection c, long bytes) {
        pool.forceReserve(bytes);
        c.buffered += bytes;
    }

    private void releaseReserved(Connection c, long bytes) {
        if (bytes != 0) {
            pool.unreserve(bytes);
            c.buffered -= bytes;
        }
    }

    /** Delivers in-order bytes straight from the packet, then anything buffered that became contiguous. */
    private void deliverDirect(Connection c, StreamHalf h, MemorySegment seg, long off, int len, int hole, long ts, long index) {
        if (len > 0) {
            open(c, h);
            sg.add(seg, off, len, ts, index);
            h.next += len;
            h.bytes += len;
        }
        if (hole > 0) {
            finishCall(c, h);
            h.next += hole;
            h.missing += hole;
            h.unreportedSkip += hole;
        }
        drain(c, h);
    }

    /**
     * Closes the gap up to {@code target}: with bad-checksum bytes where there are some (then only up to
     * them), else gives the bytes up as missing, reported as the next call's skip.
     */
    private void skipTo(Connection c, StreamHalf h, long target) {
        if (!h.suspects.isEmpty()) {
            fillFromSuspects(c, h, target);
            if (!h.pending.isEmpty()) {
                target = Math.min(target, h.pending.getFirst().start);
            }
        }
        long gap = target - h.next;
        if (gap > 0) {
            gapsSkipped++;
            h.missing += gap;
            h.unreportedSkip += gap;
            h.next = target;
        }
    }

    /** Delivers buffered pieces contiguous with the next expected byte, in calls split at holes. */
    private void drain(Connection c, StreamHalf h) {
        ArrayList<Piece> p = h.pending;
        while (!p.isEmpty() && p.getFirst().start == h.next) {
            Piece q = p.removeFirst();
            if (q.hole) {
                finishCall(c, h);
                h.next += q.length;
                h.missing += q.length;
                h.unreportedSkip += q.length;
                continue;
            }
            open(c, h);
            int ps = pages.pageSize();
            for (int i = 0; i < q.pages.length; i++) {
                sg.add(q.pages[i].segment, 0, Math.min(ps, q.length - i * ps), q.timestampNanos, q.packetIndex);
            }
            h.next += q.length;
            h.bytes += q.length;
            releaseAfterCall.add(q);
        }
        finishCall(c, h);
    }

    private void open(Connection c, StreamHalf h) {
        if (callOpen) {
            return;
        }
        callOpen = true;
        sg.reset(h, h.next);
        int ps = pages.pageSize();
        // indexed loop: an iterator here would be an allocation per delivery where escape analysis fails
        for (int k = 0; k < h.kept.size(); k++) {
            Piece q = h.kept.get(k);
            for (int i = 0; i < q.pages.length; i++) {
                sg.add(q.pages[i].segment, 0, Math.min(ps, q.length - i * ps), q.timestampNanos, q.packetIndex);
            }
            releaseAfterCall.add(q);
        }
        h.kept.clear();
        sg.kept(h.keptLength);
        h.keptLength = 0;
        sg.skip(h.unreportedSkip);
        h.unreportedSkip = 0;
    }

    /** Makes the open call (if any) and handles its keep request, then releases the pieces it showed. */
    private void finishCall(Connection c, StreamHalf h) {
        if (!callOpen) {
            return;
        }
        callOpen = false;
        sg.start(!h.startDelivered);
        h.startDelivered = true;
        sg.end(h.finAt >= 0 && h.next == h.finAt);
        long releasing = 0;
        for (int i = 0; i < releaseAfterCall.size(); i++) {
            releasing += releaseAfterCall.get(i).footprint(pages.pageSize());
        }
        sg.keepLimits(config.maxBufferedPerConnection() - (c.buffered - releasing), pages.pageSize());
        try {
            c.stream.reassembled(sg);
            int keep = sg.keepRequest();
            if (keep >= 0 && keep < sg.length()) {
                keepBytes(c, h, keep);
            }
        } finally {
            ArrayList<Piece> r = releaseAfterCall;
            long freed = 0;
            for (int i = 0; i < r.size(); i++) {
                Piece q = r.get(i);
                freed += q.footprint(pages.pageSize());
                q.release(pages);
            }
            r.clear();
            releaseReserved(c, freed);
            sg.reset(null, 0);
        }
    }

    private void keepBytes(Connection c, StreamHalf h, int from) {
        int n = sg.length() - from;
        int pos = 0;
        long offset = h.next - n;
        for (int i = 0; i < sg.chunkCount(); i++) {
            int l = sg.chunkLength(i);
            int a = Math.max(from, pos);
            int b = pos + l;
            if (a < b) {
                Piece q = Piece.copy(offset, sg.chunkSegment(i), sg.chunkOffset(i) + (a - pos), b - a,
                        sg.captureNanos(pos), sg.capturePacketIndex(pos), pages);
                forceReserve(c, q.footprint(pages.pageSize()));
                h.kept.add(q);
                offset += b - a;
            }
            pos = b;
        }
        h.keptLength = n;
    }

    /** Delivers everything buffered in {@code h} up to {@code upTo} (and its FIN), skipping gaps. */
    private void flushHalf(Connection c, StreamHalf h, long upTo) {
        while (h.next < upTo || (!h.pending.isEmpty() && h.pending.getFirst().start < upTo)) {
            long before = h.next;
            long target = h.pending.isEmpty() ? upTo : Math.min(h.pending.getFirst().start, upTo);
            skipTo(c, h, target);
            drain(c, h);
            if (h.next == before) {
                throw new IllegalStateException("no progress flushing " + h);
            }
        }
    }

    private void closeHalf(Connection c, StreamHalf h, EndReason reason) {
        if (h.keptLength > 0 || h.unreportedSkip > 0) {
            open(c, h);
            finishCall(c, h);
        }
        h.closed = true;
        h.endReason = reason;
        long freed = 0;
        for (Piece q : h.pending) {
            freed += q.footprint(pages.pageSize());
            q.release(pages);
        }
        h.pending.clear();
        for (Piece q : h.kept) {
            freed += q.footprint(pages.pageSize());
            q.release(pages);
        }
        h.kept.clear();
        h.keptLength = 0;
        for (Suspect q : h.suspects) {
            freed += q.data.length;
        }
        h.suspects.clear();
        releaseReserved(c, freed);
        c.stream.halfClosed(h, reason);
    }

    /** Ends every open direction (delivering what is buffered, gaps skipped) and tells the stream. */
    private void complete(Connection c, EndReason reason) {
        if (c.resetAt != Long.MIN_VALUE) {
            reason = EndReason.RST; // the grace for in-flight data ended early (end of input, timeout, reuse)
        }
        for (int side = 0; side < 2; side++) {
            StreamHalf h = c.half(side);
            if (h.closed) {
                continue;
            }
            flushHalf(c, h, endOf(h));
            closeHalf(c, h, h.finAt >= 0 && h.next >= h.finAt && reason != EndReason.RST ? EndReason.FIN : reason);
        }
        if (!c.completed) {
            c.completed = true;
            c.stream.completed(c);
        }
    }
}
