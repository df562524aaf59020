/**
 * Processes and their sockets, from procfs (proc(5)): the socket inode → process index built from
 * {@code /proc/PID/fd} and kept current incrementally, process details ({@code stat}, {@code cmdline},
 * {@code exe}, {@code status}, {@code cgroup}) with container id and systemd unit, and user names
 * from passwd(5).
 *
 * <p>Thread-safety: {@link dev.conntrace.sockets.process.ProcessIndex},
 * {@link dev.conntrace.sockets.process.ProcessDetails} and {@link dev.conntrace.sockets.process.UserNames}
 * are synchronized; the records are immutable. A full scan may read fd tables with several threads
 * ({@code ProcessIndex.fullScan(int)}): they only read, split even one process's table into
 * batches of entries, and the calling thread alone builds the index, in the same order as one
 * thread would. Memory bounds: the index tracks at most {@code Limits.maxProcesses} processes and
 * {@code Limits.maxInodes} inodes (dropped work is counted); a parallel scan adds two 32 KiB batch
 * buffers and one reader per thread, and holds the inodes of tables read ahead of the index; the
 * details cache holds at most its configured size; passwd at most {@value dev.conntrace.sockets.process.UserNames#MAX_USERS} users.
 */
package dev.conntrace.sockets.process;
