/**
 * nfnetlink framing: the {@code nfgenmsg} family header, subsystem ids, multicast groups and the
 * {@code subsys << 8 | msg} message-type composition ({@code linux/netfilter/nfnetlink.h},
 * {@code nfnetlink_conntrack.h}). Stateless and thread-safe; allocates nothing.
 */
package dev.conntrace.netlink.netfilter;
