package dev.conntrace.sockets.netns;

import java.nio.file.Path;

/**
 * One network namespace of the host, identified by its nsfs inode.
 *
 * @param inode the namespace inode (as in {@code net:[N]})
 * @param path a representative path to open it: {@code /run/netns/NAME} when named, else
 *     {@code /proc/PID/ns/net} of the lowest pid in it
 * @param name the {@code ip netns} name, or null
 * @param pid the lowest pid found in the namespace, or -1 when none (named but empty)
 * @param processes number of processes found in it
 */
public record NetnsRef(long inode, Path path, String name, int pid, int processes) {

    /** {@code /proc/PID/net} of the representative process (its socket tables), or null without one. */
    public Path procNetDir(Path procRoot) {
        return pid < 0 ? null : procRoot.resolve(Integer.toString(pid)).resolve("net");
    }
}
