/**
 * Connection tracking over ctnetlink: the domain model ({@link dev.conntrace.conntrack.Flow},
 * {@link dev.conntrace.conntrack.Tuple}, {@link dev.conntrace.conntrack.Status},
 * {@link dev.conntrace.conntrack.ProtoInfo}, {@link dev.conntrace.conntrack.Expect}, ...) and the
 * client.
 *
 * <p>Follows {@code linux/netfilter/nfnetlink_conntrack.h}, {@code nf_conntrack_common.h} and
 * {@code nf_conntrack_tcp.h}. Model types are immutable and thread-safe and hold no buffers; wire
 * codes are open enums (unknown values are kept, never rejected). Builders are not thread-safe.
 * {@link dev.conntrace.conntrack.Conntrack} owns one netlink socket and is not thread-safe; its dumps
 * stream flows to a callback on the calling thread and keep nothing (with receive-ahead, a second
 * thread receives and at most 1 MiB of undecoded messages is held between the two). Memory: a flow holds a fixed number of fields plus its labels bitmap (at most 16 bytes from the
 * kernel) and short strings (helper, security context).
 *
 * <p>Events: {@link dev.conntrace.conntrack.ConntrackEvents} reads one event socket (not thread-safe;
 * kernel receive queue 8 MiB by default) and reports lost events as
 * {@link dev.conntrace.conntrack.Overrun}s; {@link dev.conntrace.conntrack.ConntrackListener} runs a
 * reader thread with a bounded hand-off queue (65,536 events by default) and an overflow policy;
 * {@link dev.conntrace.conntrack.ConnectionTracker} (thread-safe) keeps every connection since the
 * last look, bounded by its caps (262,144 active, 65,536 ended by default) with counters of what did
 * not fit, and re-dumps after losses.
 */
package dev.conntrace.conntrack;
