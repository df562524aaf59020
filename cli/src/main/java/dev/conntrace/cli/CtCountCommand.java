package dev.conntrace.cli;

import dev.conntrace.conntrack.TableStats;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code conntrace ct count}: the table's size, as {@code conntrack -C} prints it. */
@Command(name = "count", aliases = {"-C"}, mixinStandardHelpOptions = true,
        description = "Print the number of tracked connections (like 'conntrack -C').")
final class CtCountCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CtCommand.Where where;

    @Option(names = "--max", description = "Also print the table's limit (nf_conntrack_max).")
    boolean max;

    @Override
    public Integer call() {
        try {
            TableStats s = where.withConntrack(ct -> {
                return ct.count();
            });
            PrintWriter out = spec.commandLine().getOut();
            out.println(max ? s.entries() + " " + s.maxEntries() : Long.toString(s.entries()));
            out.flush();
            return 0;
        } catch (IOException | RuntimeException e) {
            return CtCommand.fail(spec, where, e);
        }
    }
}
