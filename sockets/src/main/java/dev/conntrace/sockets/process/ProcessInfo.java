package dev.conntrace.sockets.process;

import java.time.Instant;

/**
 * A process as seen in /proc at one moment.
 *
 * @param pid process id (thread-group id)
 * @param ppid parent process id
 * @param comm the thread-group leader's command name (from {@code /proc/PID/stat})
 * @param cmdline command line with NULs as spaces, at most {@link ProcessDetails#MAX_CMDLINE} bytes;
 *     empty for kernel threads
 * @param exe executable path, or null when unreadable (kernel thread, permission)
 * @param uid real user id
 * @param user user name, or the uid as text
 * @param startTicks start time in clock ticks after boot (identifies the process with the pid)
 * @param startTime wall-clock start time, computed from btime and {@code startTicks}
 * @param cgroup container id and systemd unit from {@code /proc/PID/cgroup}
 */
public record ProcessInfo(
        int pid,
        int ppid,
        String comm,
        String cmdline,
        String exe,
        int uid,
        String user,
        long startTicks,
        Instant startTime,
        CgroupInfo cgroup) {

    /** The container id, or null. */
    public String containerId() {
        return cgroup.containerId();
    }

    /** The systemd unit, or null. */
    public String unit() {
        return cgroup.unit();
    }
}
