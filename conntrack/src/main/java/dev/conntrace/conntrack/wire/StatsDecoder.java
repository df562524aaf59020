package dev.conntrace.conntrack.wire;

import static dev.conntrace.conntrack.wire.Ctnetlink.*;

import dev.conntrace.conntrack.CpuStats;
import dev.conntrace.conntrack.DecodeCounters;
import dev.conntrace.conntrack.TableStats;
import dev.conntrace.netlink.AttributeCursor;
import dev.conntrace.netlink.DecodeException;
import dev.conntrace.netlink.NetlinkMessage;

/**
 * Decodes {@code IPCTNL_MSG_CT_GET_STATS} replies ({@code CTA_STATS_GLOBAL_*}) and
 * {@code IPCTNL_MSG_CT_GET_STATS_CPU} replies ({@code CTA_STATS_*}, CPU in {@code nfgenmsg.res_id}).
 * Not thread-safe.
 */
public final class StatsDecoder {
    private final DecodeCounters counters;
    private final AttributeCursor root = new AttributeCursor();

    /** A decoder counting into {@code counters}. */

    public StatsDecoder(DecodeCounters counters) {
        this.counters = counters;
    }

    /** The table size in a GET_STATS reply. */
    public TableStats table(NetlinkMessage m) throws DecodeException {
        AttributeCursor a = m.attributes(root, FlowDecoder.NFGENMSG_SIZE);
        long entries = -1;
        long max = -1;
        while (a.next()) {
            switch (a.type()) {
                case CTA_STATS_GLOBAL_ENTRIES -> entries = Integer.toUnsignedLong(a.be32());
                case CTA_STATS_GLOBAL_MAX_ENTRIES -> max = Integer.toUnsignedLong(a.be32());
                default -> counters.countUnknownAttribute();
            }
        }
        if (entries < 0) {
            throw new DecodeException(DecodeException.Kind.CORRUPT, m.offset(), "GET_STATS reply without CTA_STATS_GLOBAL_ENTRIES");
        }
        counters.countDecoded();
        return new TableStats(entries, max);
    }

    /** One CPU's statistics in a GET_STATS_CPU dump message. */
    public CpuStats cpu(NetlinkMessage m) throws DecodeException {
        int cpu = m.be16(2);
        AttributeCursor a = m.attributes(root, FlowDecoder.NFGENMSG_SIZE);
        long found = 0, invalid = 0, insert = 0, insertFailed = 0, drop = 0, earlyDrop = 0, error = 0;
        long searchRestart = 0, clash = 0, chain = 0;
        while (a.next()) {
            switch (a.type()) {
                case CTA_STATS_FOUND -> found = Integer.toUnsignedLong(a.be32());
                case CTA_STATS_INVALID -> invalid = Integer.toUnsignedLong(a.be32());
                case CTA_STATS_INSERT -> insert = Integer.toUnsignedLong(a.be32());
                case CTA_STATS_INSERT_FAILED -> insertFailed = Integer.toUnsignedLong(a.be32());
                case CTA_STATS_DROP -> drop = Integer.toUnsignedLong(a.be32());
                case CTA_STATS_EARLY_DROP -> earlyDrop = Integer.toUnsignedLong(a.be32());
                case CTA_STATS_ERROR -> error = Integer.toUnsignedLong(a.be32());
                case CTA_STATS_SEARCH_RESTART -> searchRestart = Integer.toUnsignedLong(a.be32());
                case CTA_STATS_CLASH_RESOLVE -> clash = Integer.toUnsignedLong(a.be32());
                case CTA_STATS_CHAIN_TOOLONG -> chain = Integer.toUnsignedLong(a.be32());
                case CTA_STATS_SEARCHED, CTA_STATS_NEW, CTA_STATS_IGNORE, CTA_STATS_DELETE, CTA_STATS_DELETE_LIST -> { }
                default -> counters.countUnknownAttribute();
            }
        }
        counters.countDecoded();
        return new CpuStats(cpu, found, invalid, insert, insertFailed, drop, earlyDrop, error, searchRestart, clash, chain);
    }
}
