/**
 * ctnetlink wire format: constants transliterated from {@code linux/netfilter/nfnetlink_conntrack.h},
 * {@code nf_conntrack_common.h}, {@code nf_conntrack_tcp.h}, {@code nf_conntrack_sctp.h} and
 * {@code nfnetlink.h}, with the C name beside each.
 *
 * <p>Stateless and thread-safe.
 */
package dev.conntrace.conntrack.wire;
