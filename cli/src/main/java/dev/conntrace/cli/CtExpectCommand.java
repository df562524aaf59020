package dev.conntrace.cli;

import dev.conntrace.conntrack.AddressFamily;
import dev.conntrace.conntrack.ConntrackEvents;
import dev.conntrace.conntrack.DumpSummary;
import dev.conntrace.conntrack.EventType;
import dev.conntrace.conntrack.Expect;
import dev.conntrace.conntrack.ExpectEvent;
import dev.conntrace.conntrack.Overrun;
import dev.conntrace.conntrack.Tuple;
import dev.conntrace.netlink.NetlinkException;
import dev.conntrace.netlink.NetlinkSocket;
import dev.conntrace.sys.Errno;
import dev.conntrace.sys.IpAddress;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code conntrace ct expect}: the expectation table ({@code conntrack -L expect}, {@code -G}, {@code -I},
 * {@code -D}, {@code -F}, {@code -E expect}).
 */
@Command(name = "expect", mixinStandardHelpOptions = true,
        description = "The expectation table: connections helpers expect.",
        subcommands = {CtExpectCommand.ListCommand.class, CtExpectCommand.GetCommand.class,
            CtExpectCommand.CreateCommand.class, CtExpectCommand.DeleteCommand.class, CtExpectCommand.FlushCommand.class,
            CtExpectCommand.EventsCommand.class, CtExpectCommand.CountCommand.class})
final class CtExpectCommand {

    @Command(name = "list", aliases = {"-L"}, mixinStandardHelpOptions = true,
            description = "List expectations as 'conntrack -L expect' prints them.")
    static final class ListCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CtCommand.Where where;

        @Mixin
        CtCommand.Family family;

        @Option(names = {"-o", "--output"}, defaultValue = "conntrack", paramLabel = "FORMAT",
                description = "conntrack (default, as 'conntrack -L expect'), table or json (one object per line).")
        String output;

        @Override
        public Integer call() {
            AddressFamily f = family.parse(spec);
            ExpectPrinter printer = ExpectPrinter.of(output, spec);
            try {
                DumpSummary s = where.withConntrack(ct -> {
                    printer.begin(false);
                    return ct.dumpExpectations(f, e -> printer.print(e, null));
                });
                printer.end();
                CtListCommand.malformed(spec, s);
                return 0;
            } catch (IOException | RuntimeException e) {
                printer.end();
                return CtCommand.fail(spec, where, e);
            }
        }
    }

    @Command(name = "count", aliases = {"-C"}, mixinStandardHelpOptions = true,
            description = "Print the number of expectations (like 'conntrack -C expect').")
    static final class CountCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CtCommand.Where where;

        @Mixin
        CtCommand.Family family;

        @Override
        public Integer call() {
            AddressFamily f = family.parse(spec);
            try {
                DumpSummary s = where.withConntrack(ct -> {
                    // The kernel keeps no expectation count: count a dump, as conntrack does.
                    return ct.dumpExpectations(f, e -> { });
                });
                PrintWriter out = spec.commandLine().getOut();
                out.println(s.delivered());
                out.flush();
                CtListCommand.malformed(spec, s);
                return 0;
            } catch (IOException | RuntimeException e) {
                return CtCommand.fail(spec, where, e);
            }
        }
    }

    @Command(name = "flush", aliases = {"-F"}, mixinStandardHelpOptions = true,
            description = "Delete every expectation, or those of one family (like 'conntrack -F expect').")
    static final class FlushCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CtCommand.Where where;

        @Mixin
        CtCommand.Family family;

        @Override
        public Integer call() {
            AddressFamily f = family.parse(spec);
            try {
                where.withConntrack(ct -> {
                    ct.flushExpectations(f);
                    return null;
                });
                CtCommand.summary(spec, "expectation table has been emptied.");
                return 0;
            } catch (IOException | RuntimeException e) {
                return CtCommand.fail(spec, where, e);
            }
        }
    }

    /** The expected tuple named by -p, -s, -d and ports (as conntrack -G/-D expect take it), and the zone. */
    private static Tuple expected(CommandSpec spec, CtOptions options, String command) {
        CtOptions.forbid(spec.commandLine(), command, "--reply-src", "--reply-dst", "--reply-port-src",
                "--reply-port-dst", "--family", "--mark", "--status", "--state", "--src-nat", "--dst-nat", "--any-nat",
                "--orig-zone", "--reply-zone", "--label", "--label-add", "--label-del");
        return options.original(spec.commandLine(), command);
    }

    @Command(name = "get", aliases = {"-G"}, mixinStandardHelpOptions = true,
            description = "Print the expectation with this expected tuple (-p, -s, -d and ports; --zone), like 'conntrack -G expect'.")
    static final class GetCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CtCommand.Where where;

        @Mixin
        CtOptions options;

        @Option(names = {"-o", "--output"}, defaultValue = "conntrack", paramLabel = "FORMAT",
                description = "conntrack (default, as 'conntrack -G expect'), table or json.")
        String output;

        @Override
        public Integer call() {
            Tuple t = expected(spec, options, "expect get");
            int zone = Math.max(0, options.zone(spec.commandLine()));
            ExpectPrinter printer = ExpectPrinter.of(output, spec);
            try {
                Optional<Expect> e = where.withConntrack(ct -> {
                    return ct.getExpectation(t, zone);
                });
                if (e.isEmpty()) {
                    return CtCommand.error(spec, "no such expectation");
                }
                printer.begin(false);
                printer.print(e.get(), null);
                printer.end();
                return 0;
            } catch (IOException | RuntimeException e) {
                return CtCommand.fail(spec, where, e);
            }
        }
    }

    @Command(name = "delete", aliases = {"-D"}, mixinStandardHelpOptions = true,
            description = "Delete the expectation with this expected tuple (-p, -s, -d and ports; --zone), like 'conntrack -D expect'.")
    static final class DeleteCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CtCommand.Where where;

        @Mixin
        CtOptions options;

        @Override
        public Integer call() {
            Tuple t = expected(spec, options, "expect delete");
            int zone = Math.max(0, options.zone(spec.commandLine()));
            try {
                boolean deleted = where.withConntrack(ct -> {
                    return ct.deleteExpectation(t, zone);
                });
                if (!deleted) {
                    return CtCommand.error(spec, "no such expectation");
                }
                CtCommand.summary(spec, "1 expectations have been deleted.");
                return 0;
            } catch (IOException | RuntimeException e) {
                return CtCommand.fail(spec, where, e);
            }
        }
    }

    @Command(name = "create", aliases = {"-I"}, mixinStandardHelpOptions = true,
            description = "Create an expectation (like 'conntrack -I expect'): the master flow's original tuple (-p, -s, -d,"
                + " --sport, --dport; --zone), the expected tuple (--tuple-src, --tuple-dst, --tuple-port-src,"
                + " --tuple-port-dst) and its mask (--mask-src, --mask-dst, --mask-port-src, --mask-port-dst; default: all"
                + " bits). The master needs a helper, whose policy sets the timeout on current kernels.")
    static final class CreateCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CtCommand.Where where;

        @Mixin
        CtOptions options;

        @Option(names = "--tuple-src", paramLabel = "ADDR", description = "Source address of the expected connection.")
        String tupleSrc;

        @Option(names = "--tuple-dst", paramLabel = "ADDR", description = "Destination address of the expected connection.")
        String tupleDst;

        @Option(names = "--tuple-port-src", paramLabel = "PORT", description = "Source port of the expected connection.")
        String tupleSport;

        @Option(names = "--tuple-port-dst", paramLabel = "PORT", description = "Destination port of the expected connection.")
        String tupleDport;

        @Option(names = "--mask-src", paramLabel = "ADDR", description = "Source address bits that must match (default: all).")
        String maskSrc;

        @Option(names = "--mask-dst", paramLabel = "ADDR", description = "Destination address bits that must match (default: all).")
        String maskDst;

        @Option(names = "--mask-port-src", paramLabel = "PORT", description = "Source port bits that must match (default: 0xffff).")
        String maskSport;

        @Option(names = "--mask-port-dst", paramLabel = "PORT", description = "Destination port bits that must match (default: 0xffff).")
        String maskDport;

        @Option(names = {"-t", "--timeout"}, paramLabel = "SECONDS", description = "Seconds to live (older kernels).")
        String timeout;

        @Option(names = "--helper", paramLabel = "NAME", description = "Helper name (older kernels; current ones take the master's).")
        String helper;

        @Override
        public Integer call() {
            CommandLine cl = spec.commandLine();
            CtOptions.forbid(cl, "expect create", "--family", "--mark", "--status", "--state", "--src-nat", "--dst-nat",
                    "--any-nat", "--orig-zone", "--reply-zone", "--label", "--label-add", "--label-del", "--icmp-type",
                    "--icmp-code", "--icmp-id", "--reply-src", "--reply-dst", "--reply-port-src", "--reply-port-dst");
            Tuple master = options.original(cl, "expect create");
            if (!master.protocol().hasPorts()) {
                throw new ParameterException(cl, "--proto '" + options.proto + "': 'expect create' takes a protocol with ports");
            }
            List<String> missing = new ArrayList<>();
            for (String[] o : new String[][] {{"--tuple-src", tupleSrc}, {"--tuple-dst", tupleDst},
                {"--tuple-port-src", tupleSport}, {"--tuple-port-dst", tupleDport}}) {
                if (o[1] == null) {
                    missing.add(o[0]);
                }
            }
            if (!missing.isEmpty()) {
                throw new ParameterException(cl, "'expect create' needs " + String.join(", ", missing));
            }
            boolean v6 = master.isIpv6();
            IpAddress s = address(cl, "--tuple-src", tupleSrc, v6);
            IpAddress d = address(cl, "--tuple-dst", tupleDst, v6);
            IpAddress all = v6 ? IpAddress.ipv6(-1L, -1L) : IpAddress.ipv4(-1);
            IpAddress ms = maskSrc == null ? all : address(cl, "--mask-src", maskSrc, v6);
            IpAddress md = maskDst == null ? all : address(cl, "--mask-dst", maskDst, v6);
            Tuple expected = Tuple.ports(master.protocol(), s, CtOptions.port(cl, "--tuple-port-src", tupleSport), d,
                    CtOptions.port(cl, "--tuple-port-dst", tupleDport));
            Tuple mask = Tuple.ports(master.protocol(), ms, maskSport == null ? 0xFFFF : CtOptions.port(cl, "--mask-port-src", maskSport),
                    md, maskDport == null ? 0xFFFF : CtOptions.port(cl, "--mask-port-dst", maskDport));
            Expect e = Expect.of(master, expected, mask);
            int zone = options.zone(cl);
            if (zone >= 0) {
                e = e.withZone(zone);
            }
            if (timeout != null) {
                e = e.withTimeout(Integer.toUnsignedLong(CtOptions.parse(cl, "--timeout", timeout, CtCommand::u32)));
            }
            if (helper != null) {
                e = e.withHelper(helper);
            }
            Expect request = e;
            try {
                where.withConntrack(ct -> {
                    ct.createExpectation(request);
                    return null;
                });
                CtCommand.summary(spec, "1 expectations have been created.");
                return 0;
            } catch (NetlinkException n) {
                String why = switch (n.errno()) {
                    case Errno.ENOENT -> "no such master flow";
                    case Errno.EOPNOTSUPP -> "the master flow has no helper (EOPNOTSUPP)";
                    case Errno.EEXIST -> "the expectation already exists (EEXIST)";
                    case Errno.EBUSY -> "the expectation clashes with another flow's (EBUSY)";
                    default -> null;
                };
                return why != null ? CtCommand.error(spec, why) : CtCommand.fail(spec, where, n);
            } catch (IOException | RuntimeException x) {
                return CtCommand.fail(spec, where, x);
            }
        }

        private static IpAddress address(CommandLine cl, String option, String text, boolean v6) {
            IpAddress a = CtOptions.parse(cl, option, text, IpAddress::parse);
            if (a.v6() != v6) {
                throw new ParameterException(cl, option + " '" + text + "' is not of the master's family");
            }
            return a;
        }
    }

    @Command(name = "events", aliases = {"-E"}, mixinStandardHelpOptions = true,
            description = "Print expectation events as they happen (like 'conntrack -E expect'). The kernel reports"
                + " expectations of flows that began while someone listened.")
    static final class EventsCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CtCommand.Where where;

        @Option(names = {"-c", "--count"}, paramLabel = "N", description = "Stop after N events.")
        long count = Long.MAX_VALUE;

        @Option(names = {"-e", "--event-mask"}, defaultValue = "ALL", paramLabel = "TYPES",
                description = "Event types, comma separated: NEW, DESTROY or ALL (default).")
        String eventMask;

        @Option(names = "--seconds", paramLabel = "S", description = "Stop after S seconds.")
        long seconds = Long.MAX_VALUE / 2_000_000_000L;

        @Option(names = {"-o", "--output"}, defaultValue = "conntrack", paramLabel = "FORMAT",
                description = "conntrack (default, as 'conntrack -E expect'), table or json (one object per line).")
        String output;

        @Override
        public Integer call() {
            CommandLine cl = spec.commandLine();
            if (count <= 0 || seconds <= 0) {
                throw new ParameterException(cl, "--count and --seconds must be positive");
            }
            EnumSet<EventType> types = CtOptions.parse(cl, "--event-mask", eventMask, CtEventsCommand::types);
            ExpectPrinter printer = ExpectPrinter.of(output, spec);
            PrintWriter err = cl.getErr();
            try {
                where.run(() -> {
                    try (ConntrackEvents events = ConntrackEvents.open(Set.of(), types, NetlinkSocket.Options.defaults())) {
                        printer.begin(true);
                        printer.end();
                        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
                        long[] seen = {0};
                        while (seen[0] < count) {
                            long left = (deadline - System.nanoTime()) / 1_000_000L;
                            if (left <= 0) {
                                break;
                            }
                            events.receive((int) Math.min(left, 1000), e -> {
                                switch (e) {
                                    case ExpectEvent x when seen[0] < count -> {
                                        seen[0]++;
                                        printer.print(x.expect(), x.type());
                                    }
                                    case Overrun o -> {
                                        err.println("conntrace: the kernel dropped events (receive queue full"
                                                + (o.socketDrops() >= 0 ? "; " + o.socketDrops() + " dropped so far)" : ")"));
                                        err.flush();
                                    }
                                    default -> { }
                                }
                            });
                            printer.end();
                        }
                    }
                    return null;
                });
                return 0;
            } catch (IOException | RuntimeException e) {
                printer.end();
                return CtCommand.fail(spec, where, e);
            }
        }
    }
}
