package dev.conntrace.packet.dns;

import dev.conntrace.sys.IpAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Matches DNS queries with responses by (transport, client address and port, server address and port,
 * id) and reports each {@link DnsTransaction} to a consumer: when its response arrives, when its query
 * times out ({@link #expire}, driven by capture time), or at {@link #finish()}.
 *
 * <p>Bounded: at most {@code maxPending} unanswered queries are kept; beyond that the oldest is reported
 * as a timeout and counted in {@link #evicted()}. A query repeated with the same key while pending is a
 * retransmission: the first is kept (its time gives the latency) and the repeat is counted. Not
 * thread-safe.
 */
public final class DnsTransactionTracker {
    private record Key(DnsTransaction.Transport transport, IpAddress client, int clientPort, IpAddress server,
            int serverPort, int id) {}

    private record Pending(DnsMessage query, long nanos) {}

    private final long timeoutNanos;
    private final int maxPending;
    private final Consumer<DnsTransaction> sink;
    private final LinkedHashMap<Key, Pending> pending = new LinkedHashMap<>();
    private long retransmits;
    private long evicted;
    private long unsolicited;

    /**
     * @param timeoutNanos a query unanswered this long (capture time) is a timeout
     * @param maxPending the most unanswered queries kept
     */
    public DnsTransactionTracker(long timeoutNanos, int maxPending, Consumer<DnsTransaction> sink) {
        if (timeoutNanos <= 0 || maxPending < 1) {
            throw new IllegalArgumentException("timeout and pending limit must be positive");
        }
        this.timeoutNanos = timeoutNanos;
        this.maxPending = maxPending;
        this.sink = Objects.requireNonNull(sink);
    }

    /** Takes one message sent from {@code src:srcPort} to {@code dst:dstPort} at {@code nanos}. */
    public void message(long nanos, DnsTransaction.Transport transport, IpAddress src, int srcPort, IpAddress dst,
            int dstPort, DnsMessage m) {
        if (!m.isResponse()) {
            Key key = new Key(transport, src, srcPort, dst, dstPort, m.id());
            if (pending.containsKey(key)) {
                retransmits++;
                return;
            }
            if (pending.size() >= maxPending) {
                Iterator<Map.Entry<Key, Pending>> oldest = pending.entrySet().iterator();
                Map.Entry<Key, Pending> e = oldest.next();
                oldest.remove();
                evicted++;
                timeout(e.getKey(), e.getValue());
            }
            pending.put(key, new Pending(m, nanos));
            return;
        }
        Key key = new Key(transport, dst, dstPort, src, srcPort, m.id());
        Pending q = pending.remove(key);
        if (q == null) {
            unsolicited++;
            sink.accept(new DnsTransaction(transport, dst, dstPort, src, srcPort, m.id(), null, m, -1, nanos,
                    DnsTransaction.Outcome.UNSOLICITED));
            return;
        }
        sink.accept(new DnsTransaction(transport, dst, dstPort, src, srcPort, m.id(), q.query(), m, q.nanos(), nanos,
                DnsTransaction.Outcome.ANSWERED));
    }

    /** Reports as timeouts the queries sent before {@code nowNanos - timeout} (oldest first). */
    public void expire(long nowNanos) {
        Iterator<Map.Entry<Key, Pending>> it = pending.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Key, Pending> e = it.next();
            if (nowNanos - e.getValue().nanos() < timeoutNanos) {
                break; // insertion order is query order, up to capture reordering
            }
            it.remove();
            timeout(e.getKey(), e.getValue());
        }
    }

    /** Reports every query still unanswered as a timeout (oldest first). */
    public void finish() {
        Iterator<Map.Entry<Key, Pending>> it = pending.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Key, Pending> e = it.next();
            it.remove();
            timeout(e.getKey(), e.getValue());
        }
    }

    private void timeout(Key k, Pending p) {
        sink.accept(new DnsTransaction(k.transport(), k.client(), k.clientPort(), k.server(), k.serverPort(), k.id(),
                p.query(), null, p.nanos(), -1, DnsTransaction.Outcome.TIMEOUT));
    }

    /** Queries waiting for a response. */
    public int pending() {
        return pending.size();
    }

    /** Repeated queries ignored while the first was pending. */
    public long retransmits() {
        return retransmits;
    }

    /** Queries reported as timeouts early because {@code maxPending} were waiting. */
    public long evicted() {
        return evicted;
    }

    /** Responses whose query was not seen. */
    public long unsolicited() {
        return unsolicited;
    }
}
