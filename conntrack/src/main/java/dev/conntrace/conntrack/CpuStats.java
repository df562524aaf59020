package dev.conntrace.conntrack;

/**
 * Per-CPU conntrack statistics ({@code IPCTNL_MSG_CT_GET_STATS_CPU}, {@code CTA_STATS_*}; the CPU is
 * the {@code res_id} of the {@code nfgenmsg}). Counters the kernel no longer sends are 0.
 *
 * @param cpu CPU number
 * @param found {@code CTA_STATS_FOUND}
 * @param invalid {@code CTA_STATS_INVALID}
 * @param insert {@code CTA_STATS_INSERT}
 * @param insertFailed {@code CTA_STATS_INSERT_FAILED}
 * @param drop {@code CTA_STATS_DROP}
 * @param earlyDrop {@code CTA_STATS_EARLY_DROP}
 * @param error {@code CTA_STATS_ERROR}
 * @param searchRestart {@code CTA_STATS_SEARCH_RESTART}
 * @param clashResolve {@code CTA_STATS_CLASH_RESOLVE}
 * @param chainTooLong {@code CTA_STATS_CHAIN_TOOLONG}
 */
public record CpuStats(int cpu, long found, long invalid, long insert, long insertFailed, long drop, long earlyDrop,
        long error, long searchRestart, long clashResolve, long chainTooLong) {

    /** The line {@code conntrack -S} prints for this CPU. */
    public String toConntrackLine() {
        return String.format("cpu=%-4d\tfound=%d invalid=%d insert=%d insert_failed=%d drop=%d early_drop=%d error=%d "
                        + "search_restart=%d clash_resolve=%d chaintoolong=%d ",
                cpu, found, invalid, insert, insertFailed, drop, earlyDrop, error, searchRestart, clashResolve,
                chainTooLong);
    }
}
