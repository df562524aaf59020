package dev.conntrace.conntrack;

/**
 * Size of the conntrack table ({@code IPCTNL_MSG_CT_GET_STATS}: {@code CTA_STATS_GLOBAL_ENTRIES},
 * {@code CTA_STATS_GLOBAL_MAX_ENTRIES}).
 *
 * @param entries entries in the table now (what {@code conntrack -C} prints)
 * @param maxEntries the table's limit ({@code nf_conntrack_max}), or -1 when not reported
 */
public record TableStats(long entries, long maxEntries) {}
