package dev.conntrace.cli;

import dev.conntrace.conntrack.AddressFamily;
import dev.conntrace.conntrack.Conntrack;
import dev.conntrace.conntrack.ConntrackEvents;
import dev.conntrace.conntrack.EventType;
import dev.conntrace.conntrack.DumpSummary;
import dev.conntrace.conntrack.FlowFilter;
import dev.conntrace.conntrack.L4Protocol;
import dev.conntrace.conntrack.TableStats;
import dev.conntrace.conntrack.text.ConntrackText;
import dev.conntrace.netlink.NetlinkException;
import dev.conntrace.sys.Errno;
import dev.conntrace.sys.NetNamespace;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code conntrace ct}: the kernel's connection tracking table. */
@Command(name = "ct", mixinStandardHelpOptions = true,
        description = "The kernel's connection tracking table (like conntrack).",
        subcommands = {CtCommand.ListCommand.class, CtCommand.CountCommand.class, CtCommand.EventsCommand.class})
final class CtCommand {

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
    }

    /** Maps errors to one line and an exit status. */
    static int fail(CommandSpec spec, Where where, Exception e) {
        PrintWriter err = spec.commandLine().getErr();
        if (e instanceof NetlinkException n && (n.errno() == Errno.EPERM || n.errno() == Errno.EACCES)) {
            err.println("conntrace: reading the conntrack table needs root or CAP_NET_ADMIN (" + n.errnoName() + ")");
        } else {
            err.println("conntrace: " + e.getMessage());
        }
        if (where.debug) {
            e.printStackTrace(err);
        }
        err.flush();
        return 1;
    }

    @Command(name = "list", aliases = {"-L"}, mixinStandardHelpOptions = true,
            description = "List tracked connections as they are read from the kernel.")
    static final class ListCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Where where;

        @Option(names = {"-o", "--output"}, defaultValue = "table", paramLabel = "FORMAT",
                description = "table (default), conntrack (as 'conntrack -L -o extended') or json (one object per line).")
        String output;

        @Option(names = {"-f", "--family"}, defaultValue = "any", paramLabel = "FAMILY", description = "ipv4, ipv6 or any.")
        String family;

        @Option(names = {"-p", "--proto"}, paramLabel = "PROTO", description = "L4 protocol: name or number.")
        String proto;

        @Option(names = {"-m", "--mark"}, paramLabel = "MARK[/MASK]", description = "Connection mark, optionally masked.")
        String mark;

        @Option(names = {"-w", "--zone"}, paramLabel = "ZONE", description = "Conntrack zone (0..65535).")
        String zone;

        @Override
        public Integer call() {
            FlowFilter filter = filter();
            FlowPrinter printer = FlowPrinter.of(output, spec);
            try {
                DumpSummary s = where.run(() -> {
                    try (Conntrack ct = Conntrack.open()) {
                        printer.begin();
                        DumpSummary r = ct.dump(filter, printer::print);
                        printer.end();
                        return r;
                    }
                });
                if (s.malformed() > 0) {
                    spec.commandLine().getErr().println("conntrace: skipped " + s.malformed() + " malformed messages");
                }
                return 0;
            } catch (IOException | RuntimeException e) {
                printer.end();
                return fail(spec, where, e);
            }
        }

        private FlowFilter filter() {
            FlowFilter f = FlowFilter.of(parse("--family", family, AddressFamily::parse));
            if (proto != null) {
                f = f.withProtocol(parse("--proto", proto, L4Protocol::parse));
            }
            if (mark != null) {
                int[] valueMask = parse("--mark", mark, CtCommand::markAndMask);
                f = f.withMark(valueMask[0], valueMask[1]);
            }
            if (zone != null) {
                int z = parse("--zone", zone, Integer::decode);
                if (z < 0 || z > 0xFFFF) {
                    throw new ParameterException(spec.commandLine(), "--zone: '" + zone + "' is outside 0..65535");
                }
                f = f.withZone(z);
            }
            return f;
        }

        private <T> T parse(String option, String text, java.util.function.Function<String, T> parser) {
            try {
                return parser.apply(text);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), option + ": invalid value '" + text + "'");
            }
        }
    }

    @Command(name = "events", aliases = {"-E"}, mixinStandardHelpOptions = true,
            description = "Print conntrack events as they happen (like 'conntrack -E').")
    static final class EventsCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Where where;

        @Option(names = {"-c", "--count"}, paramLabel = "N", description = "Stop after N events.")
        long count = Long.MAX_VALUE;

        @Option(names = "--seconds", paramLabel = "S", description = "Stop after S seconds.")
        long seconds = Long.MAX_VALUE / 2_000_000_000L;

        @Override
        public Integer call() {
            if (count <= 0 || seconds <= 0) {
                throw new ParameterException(spec.commandLine(), "--count and --seconds must be positive");
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                where.run(() -> {
                    try (ConntrackEvents events = ConntrackEvents.open(java.util.EnumSet.allOf(EventType.class))) {
                        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
                        long[] seen = {0};
                        StringBuilder line = new StringBuilder(256);
                        while (seen[0] < count) {
                            long left = (deadline - System.nanoTime()) / 1_000_000L;
                            if (left <= 0) {
                                break;
                            }
                            events.poll((int) Math.min(left, 1000), e -> {
                                if (seen[0]++ < count) {
                                    line.setLength(0);
                                    ConntrackText.appendEvent(line, e, ConntrackText.Options.DEFAULT,
                                            System.currentTimeMillis() / 1000);
                                    out.append(line).append('\n');
                                }
                            }, () -> {
                                long dropped = events.socketDrops();
                                err.println("conntrace: the kernel dropped events (receive queue full"
                                        + (dropped >= 0 ? "; " + dropped + " dropped so far)" : ")"));
                            });
                            out.flush();
                        }
                    }
                    return null;
                });
                return 0;
            } catch (IOException | RuntimeException e) {
                return fail(spec, where, e);
            }
        }
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

    @Command(name = "count", aliases = {"-C"}, mixinStandardHelpOptions = true,
            description = "Print the number of tracked connections (like 'conntrack -C').")
    static final class CountCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Where where;

        @Option(names = "--max", description = "Also print the table's limit (nf_conntrack_max).")
        boolean max;

        @Override
        public Integer call() {
            try {
                TableStats s = where.run(() -> {
                    try (Conntrack ct = Conntrack.open()) {
                        return ct.count();
                    }
                });
                PrintWriter out = spec.commandLine().getOut();
                out.println(max ? s.entries() + " " + s.maxEntries() : Long.toString(s.entries()));
                out.flush();
                return 0;
            } catch (IOException | RuntimeException e) {
                return fail(spec, where, e);
            }
        }
    }
}
