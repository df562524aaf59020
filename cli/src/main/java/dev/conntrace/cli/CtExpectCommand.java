package dev.conntrace.cli;

import dev.conntrace.conntrack.AddressFamily;
import dev.conntrace.conntrack.Conntrack;
import dev.conntrace.conntrack.DumpSummary;
import dev.conntrace.conntrack.text.ExpectText;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code conntrace ct expect}: the expectation table ({@code conntrack -L expect}, {@code -F expect}). */
@Command(name = "expect", mixinStandardHelpOptions = true,
        description = "The expectation table: connections helpers expect.",
        subcommands = {CtExpectCommand.ListCommand.class, CtExpectCommand.FlushCommand.class})
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
}
