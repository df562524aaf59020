package dev.conntrace.netlink;

/**
 * How a dump ended.
 *
 * @param messages messages delivered to the visitor (control messages not counted)
 * @param datagrams datagrams read
 * @param interrupted {@code NLM_F_DUMP_INTR} was set on a message: the kernel's table changed
 *     during the dump, so it may be inconsistent; callers that need a consistent view dump again
 */
public record DumpResult(long messages, long datagrams, boolean interrupted) {}
