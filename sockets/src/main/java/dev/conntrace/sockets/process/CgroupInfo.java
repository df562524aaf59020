package dev.conntrace.sockets.process;

/**
 * What a process's cgroup path says about it.
 *
 * @param containerId 64-hex container id, or null when not in a recognised container
 * @param runtime "docker", "containerd", "cri-o", "podman" or "unknown"; null without a container
 * @param unit the systemd unit ({@code *.service}) the process runs in, or null
 * @param path the cgroup path used (v2 path, else the systemd v1 hierarchy), or null
 */
public record CgroupInfo(String containerId, String runtime, String unit, String path) {
    /** No cgroup information. */
    public static final CgroupInfo NONE = new CgroupInfo(null, null, null, null);

    /**
     * Interprets the text of {@code /proc/PID/cgroup} ({@code hierarchy-ID:controllers:path} lines).
     * Recognises {@code docker-<id>.scope}, {@code /docker/<id>}, {@code cri-containerd-<id>.scope},
     * {@code crio-<id>.scope}, {@code libpod-<id>.scope}, {@code …:cri-containerd:<id>} and a bare
     * 64-hex component (kubepods with the cgroupfs driver). The unit is the deepest
     * {@code *.service} component.
     */
    public static CgroupInfo parse(String text) {
        String v2 = null;
        String systemd = null;
        String first = null;
        String id = null;
        String runtime = null;
        for (String line : text.split("\n", 64)) {
            int a = line.indexOf(':');
            int b = a < 0 ? -1 : line.indexOf(':', a + 1);
            if (b < 0) {
                continue;
            }
            String controllers = line.substring(a + 1, b);
            String path = line.substring(b + 1).strip();
            if (first == null) {
                first = path;
            }
            if (line.startsWith("0::")) {
                v2 = path;
            } else if (controllers.equals("name=systemd")) {
                systemd = path;
            }
            if (id == null) {
                String[] found = containerIn(path);
                if (found != null) {
                    id = found[0];
                    runtime = found[1];
                }
            }
        }
        String path = v2 != null && !v2.equals("/") ? v2 : systemd != null ? systemd : v2 != null ? v2 : first;
        if (path == null) {
            return NONE;
        }
        return new CgroupInfo(id, runtime, unitIn(path), path);
    }

    private static String unitIn(String path) {
        String unit = null;
        for (String c : path.split("/")) {
            if (c.endsWith(".service") && c.length() > ".service".length()) {
                unit = c;
            }
        }
        return unit;
    }

    /** {id, runtime} of the deepest container component of {@code path}, or null. */
    static String[] containerIn(String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            String c = parts[i];
            String name = c.endsWith(".scope") ? c.substring(0, c.length() - ".scope".length()) : c;
            String[] r = prefixed(name, "docker-", "docker");
            r = r != null ? r : prefixed(name, "cri-containerd-", "containerd");
            r = r != null ? r : prefixed(name, "crio-", "cri-o");
            r = r != null ? r : prefixed(name, "libpod-", "podman");
            if (r != null) {
                return r;
            }
            int colon = name.lastIndexOf(':');
            if (colon >= 0 && isId(name, colon + 1)) {
                String kind = name.substring(0, colon);
                String rt = kind.endsWith("cri-containerd") ? "containerd"
                        : kind.endsWith("crio") ? "cri-o" : kind.endsWith("docker") ? "docker" : "unknown";
                return new String[] {name.substring(colon + 1), rt};
            }
            if (isId(name, 0)) {
                String parent = i > 0 ? parts[i - 1] : "";
                return new String[] {name, parent.equals("docker") ? "docker" : "unknown"};
            }
        }
        return null;
    }

    private static String[] prefixed(String name, String prefix, String runtime) {
        return name.startsWith(prefix) && isId(name, prefix.length())
                ? new String[] {name.substring(prefix.length()), runtime} : null;
    }

    private static boolean isId(String s, int from) {
        if (s.length() - from != 64) {
            return false;
        }
        for (int i = from; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (!(ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
