package dev.conntrace.conntrack;

/**
 * What identifies a conntrack entry over its life: its id ({@code CTA_ID}, unsigned 32 bits) and
 * zone ({@code CTA_ZONE}, 0 when absent).
 *
 * @param id the entry id as the kernel reports it
 * @param zone the conntrack zone, 0..65535
 */
public record FlowKey(int id, int zone) {
    /** The key of {@code flow}, or null when the flow carries no id. */
    public static FlowKey of(Flow flow) {
        return flow.hasId() ? new FlowKey(flow.id(), flow.hasZone() ? flow.zone() : 0) : null;
    }

    @Override
    public String toString() {
        return "id=" + Integer.toUnsignedString(id) + " zone=" + zone;
    }
}
