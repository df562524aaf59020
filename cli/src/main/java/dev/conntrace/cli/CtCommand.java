package dev.conntrace.cli;

import dev.conntrace.conntrack.AddressFamily;
import dev.conntrace.conntrack.Conntrack;
import dev.conntrace.netlink.NetlinkException;
import dev.conntrace.sys.Errno;
import dev.conntrace.sys.NetNamespace;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code conntrace ct}: the kernel's connection tracking table. */
@Command(name = "ct", mixinStandardHelpOptions = true,
        description = "The kernel's connection tracking table (like conntrack).")
final class CtCommand {

    /**
     * The subcommands, in the order help lists them. {@link Main} adds them (only the one an
     * invocation names, when it names one), so that {@code ct list} does not build nine other models.
     */
    static final List<Class<?>> SUBCOMMANDS = List.of(CtListCommand.class, CtGetCommand.class, CtCreateCommand.class,
            CtUpdateCommand.class, CtDeleteCommand.class, CtFlushCommand.class, CtEventsCommand.class,
            CtCountCommand.class, CtStatsCommand.class, CtTrackCommand.class, CtExpectCommand.class);

    /** Options naming the namespace, shared by the subcommands. */
    static final class Where {
        @Option(names = "--netns", paramLabel = "NAME|PATH",
                description = "Network namespace: a name from 'ip netns' or a path such as /proc/PID/ns/net.")
        String netns;

        @Option(names = "--debug", description = "Print stack traces of errors.")
        boolean debug;

        /** Runs {@code task} in the chosen namespace (or here). */
        <T> T run(NetNamespace.Task<T, IOException> task) throws IOException {
            if (netns == null) {
                return task.call();
            }
            NetNamespace ns;
            try {
                ns = netns.contains("/") ? NetNamespace.open(Path.of(netns)) : NetNamespace.named(netns);
            } catch (IOException e) {
                throw new IOException("cannot open network namespace '" + netns + "': " + e.getMessage(), e);
            }
            try (ns) {
                return ns.call(task);
            }
        }

        /** Opens a ctnetlink client in the chosen namespace (or here), runs {@code work} with it, closes it. */
        <T> T withConntrack(ConntrackWork<T> work) throws IOException {
            return run(() -> {
                try (Conntrack ct = Conntrack.open()) {
                    return work.apply(ct);
                }
            });
        }
    }

    /** The {@code -f} option of the commands that act on a whole table or one family of it. */
    static final class Family {
        @Option(names = {"-f", "--family"}, defaultValue = "any", paramLabel = "FAMILY", description = "ipv4, ipv6 or any (default).")
        String family;

        /** The family asked for; a bad value is a usage error naming it. */
        AddressFamily parse(CommandSpec spec) {
            return CtOptions.parse(spec.commandLine(), "--family", family, AddressFamily::parse);
        }
    }

    /** Work done with an open ctnetlink client. */
    @FunctionalInterface
    interface ConntrackWork<T> {
        T apply(Conntrack ct) throws IOException;
    }

    /** The message and exit status printed for "the flow asked for does not exist". */
    static final String NO_SUCH_FLOW = "conntrace: no such flow";

    /** Prints {@code conntrace: <line>} on stderr and returns 1. */
    static int error(CommandSpec spec, String line) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("conntrace: " + line);
        err.flush();
        return 1;
    }

    /** Prints a summary such as conntrack-tools' "1 flow entries have been deleted." on stderr. */
    static void summary(CommandSpec spec, String line) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("conntrace: " + line);
        err.flush();
    }

    /** Maps errors to one line and an exit status. */
    static int fail(CommandSpec spec, Where where, Exception e) {
        if (e instanceof ParameterException bad) {
            throw bad; // bad input: Main's handler prints it, exit status 2
        }
        PrintWriter err = spec.commandLine().getErr();
        if (e instanceof NetlinkException n && (n.errno() == Errno.EPERM || n.errno() == Errno.EACCES)) {
            err.println("conntrace: conntrack needs root or CAP_NET_ADMIN (" + n.errnoName() + ")");
        } else if (e instanceof NetlinkException n && (n.errno() == Errno.EPROTONOSUPPORT
                || n.errno() == Errno.EOPNOTSUPP || n.errno() == Errno.EAFNOSUPPORT)) {
            err.println("conntrace: this kernel has no connection tracking over netlink (nf_conntrack_netlink; "
                    + n.errnoName() + ")");
        } else if (e instanceof NetlinkException n && n.errno() == Errno.ENOENT) {
            err.println(NO_SUCH_FLOW);
        } else if (e instanceof NetlinkException n && n.errno() == Errno.ENOSPC) {
            err.println("conntrace: connection labels are off in this network namespace: no rule uses 'ct label' (ENOSPC)");
        } else if (e instanceof NetlinkException n && n.errno() == Errno.EEXIST) {
            err.println("conntrace: the flow already exists (EEXIST)");
        } else {
            err.println("conntrace: " + e.getMessage());
        }
        if (where.debug) {
            e.printStackTrace(err);
        }
        err.flush();
        return 1;
    }

    /** Parses {@code MARK} or {@code MARK/MASK} into {value, mask}. */
    static int[] markAndMask(String text) {
        int slash = text.indexOf('/');
        return slash < 0 ? new int[] {u32(text), -1}
                : new int[] {u32(text.substring(0, slash)), u32(text.substring(slash + 1))};
    }

    /** Parses a decimal or 0x-hex unsigned 32-bit number. */
    static int u32(String text) {
        long v = Long.decode(text);
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw new NumberFormatException("out of range: " + text);
        }
        return (int) v;
    }
}
