package dev.conntrace.sys.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import org.junit.jupiter.api.Assumptions;

/**
 * Prerequisites of kernel tests. Outside CI a missing prerequisite skips the test with its reason;
 * with {@code CI=true} it fails the test, so CI never passes by skipping.
 */
public final class Prerequisites {
    private Prerequisites() {}

    /** True when the environment says this is a CI run. */
    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Fails (CI) or skips (elsewhere) unless {@code condition} holds. */
    public static void require(boolean condition, String reason) {
        if (condition) {
            return;
        }
        if (inCi()) {
            fail("prerequisite missing in CI: " + reason);
        }
        Assumptions.abort("prerequisite missing: " + reason);
    }

    /** The test needs to run as root (network namespaces, netlink writes). */
    public static void requireRoot() {
        require("root".equals(System.getProperty("user.name")), "must run as root");
    }

    /** The test needs the executable {@code tool} on PATH. */
    public static void requireTool(String tool) {
        require(onPath(tool), "'" + tool + "' is not installed");
    }

    /** True when an executable named {@code tool} is on PATH (or in /usr/sbin, /sbin). */
    public static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin";
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && new File(dir, tool).canExecute()) {
                return true;
            }
        }
        return false;
    }
}
