package dev.conntrace.conntrack;

/**
 * What a dump did.
 *
 * @param delivered flows handed to the consumer
 * @param filtered flows decoded but left out by the filter in user space
 * @param malformed messages skipped because they did not decode
 * @param interrupted the kernel flagged the dump as inconsistent ({@code NLM_F_DUMP_INTR}): the table
 *     changed during the dump, some flows may be missing or repeated
 * @param kernelFiltered the kernel applied the filter attributes; false when it rejected them and the
 *     filter ran in user space only
 */
public record DumpSummary(long delivered, long filtered, long malformed, boolean interrupted, boolean kernelFiltered) {}
