package dev.conntrace.cli;

import dev.conntrace.conntrack.AddressFamily;
import dev.conntrace.conntrack.Conntrack;
import dev.conntrace.conntrack.DumpSummary;
import dev.conntrace.conntrack.Expect;
import dev.conntrace.conntrack.Tuple;
import dev.conntrace.conntrack.text.ExpectText;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code conntrace ct expect}: the expectation table ({@code conntrack -L expect}, {@code -F expect}). */
@Command(name = "expect", mixinStandardHelpOptions = true,
        description = "The expectation table: connections helpers expect.",
        subcommands = {CtExpectCommand.ListCommand.class, CtExpectCommand.GetCommand.class,
            CtExpectCommand.DeleteCommand.class, CtExpectCommand.FlushCommand.class})
final class CtExpectCommand {

    @Command(name = "list", aliases = {"-L"}, mixinStandardHelpOptions = true,
            description = "List expectations as 'conntrack -L expect' prints them.")
    static final class ListCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CtCommand.Where where;

        @Option(names = {"-f", "--family"}, defaultValue = "any", paramLabel = "FAMILY", description = "ipv4, ipv6 or any (default).")
        String family;

        @Override
        public Integer call() {
            AddressFamily f = CtOptions.parse(spec.commandLine(), "--family", family, AddressFamily::parse);
            PrintWriter out = spec.commandLine().getOut();
            try {
                DumpSummary s = where.run(() -> {
                    try (Conntrack ct = Conntrack.open()) {
                        StringBuilder line = new StringBuilder(200);
                        return ct.dumpExpectations(f, e -> {
                            line.setLength(0);
                            ExpectText.append(line, e, null);
                            out.append(line).append('\n');
                        });
                    }
                });
                out.flush();
                CtListCommand.malformed(spec, s);
                return 0;
            } catch (IOException | RuntimeException e) {
                out.flush();
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

        @Option(names = {"-f", "--family"}, defaultValue = "any", paramLabel = "FAMILY", description = "ipv4, ipv6 or any (default).")
        String family;

        @Override
        public Integer call() {
            AddressFamily f = CtOptions.parse(spec.commandLine(), "--family", family, AddressFamily::parse);
            try {
                where.run(() -> {
                    try (Conntrack ct = Conntrack.open()) {
                        ct.flushExpectations(f);
                        return null;
                    }
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
                "--reply-port-dst", "--family", "--mark", "--status", "--state", "--src-nat", "--dst-nat", "--any-nat");
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

        @Override
        public Integer call() {
            Tuple t = expected(spec, options, "expect get");
            int zone = Math.max(0, options.zone(spec.commandLine()));
            try {
                Optional<Expect> e = where.run(() -> {
                    try (Conntrack ct = Conntrack.open()) {
                        return ct.getExpectation(t, zone);
                    }
                });
                if (e.isEmpty()) {
                    return CtCommand.error(spec, "no such expectation");
                }
                PrintWriter out = spec.commandLine().getOut();
                out.println(ExpectText.format(e.get()));
                out.flush();
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
                boolean deleted = where.run(() -> {
                    try (Conntrack ct = Conntrack.open()) {
                        return ct.deleteExpectation(t, zone);
                    }
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
}
