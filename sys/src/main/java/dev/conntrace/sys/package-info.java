/**
 * Typed libc calls over the Foreign Function &amp; Memory API — the only native code in conntrace.
 *
 * <ul>
 *   <li>{@link dev.conntrace.sys.Libc}: socket, bind, connect, getsockname, setsockopt/getsockopt, sendto,
 *       sendmsg, sendmmsg, recv/recvmsg (with MSG_PEEK, MSG_TRUNC), poll, open, read, write, ioctl,
 *       getdents64, readlinkat, if_nametoindex, setns, mmap/munmap, getpid (all through one downcall handle to
 *       libc's {@code syscall}, numbers for x86_64 and aarch64);
 *       errno captured on every call and raised as {@link dev.conntrace.sys.SysException}.</li>
 *   <li>{@link dev.conntrace.sys.Threads}: waiting for a worker thread through interrupts.</li>
 *   <li>{@link dev.conntrace.sys.Memory}: madvise hints for mapped files (never throws on refusal).</li>
 *   <li>{@link dev.conntrace.sys.Libpcap}: the installed libpcap's filter compiler (pcap_compile on a
 *       dead handle), loaded by name when present; capture itself does not use libpcap.</li>
 *   <li>{@link dev.conntrace.sys.Fd}: a descriptor closed exactly once.</li>
 *   <li>{@link dev.conntrace.sys.NetNamespace}: tasks run inside a network namespace on a dedicated
 *       platform thread; {@link dev.conntrace.sys.PrivateNamespace}: a throw-away named namespace.</li>
 *   <li>{@link dev.conntrace.sys.Errno}, {@link dev.conntrace.sys.SocketConstants},
 *       {@link dev.conntrace.sys.OsConstants}: constants transliterated from the Linux and glibc
 *       headers named in each class.</li>
 *   <li>{@link dev.conntrace.sys.IpAddress}: a compact IPv4/IPv6 address value.</li>
 * </ul>
 *
 * <p>Thread-safety: every class is thread-safe except {@link dev.conntrace.sys.MsgHdr} (one per
 * socket and thread). Memory: each thread that makes a call gets one small native block (errno
 * capture plus 64 bytes of scratch) freed with the thread; nothing else is allocated per call on the
 * send/receive/poll paths. Callers own and size their buffers.
 */
package dev.conntrace.sys;
