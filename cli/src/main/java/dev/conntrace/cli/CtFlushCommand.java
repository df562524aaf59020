package dev.conntrace.cli;

import dev.conntrace.conntrack.AddressFamily;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code conntrace ct flush}: empties the table, or one family of it, as {@code conntrack -F}. */
@Command(name = "flush", aliases = {"-F"}, mixinStandardHelpOptions = true,
        description = "Delete every tracked connection, or those of one family (like 'conntrack -F'), or those whose"
            + " mark matches -m MARK[/MASK] (in the kernel, in one request).")
final class CtFlushCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CtCommand.Where where;

    @Mixin
    CtCommand.Family family;

    @Option(names = {"-m", "--mark"}, paramLabel = "MARK[/MASK]", description = "Only flows with this mark (after masking).")
    String mark;

    @Override
    public Integer call() {
        AddressFamily f = family.parse(spec);
        int[] m = mark == null ? null : CtOptions.parse(spec.commandLine(), "--mark", mark, CtCommand::markAndMask);
        try {
            where.withConntrack(ct -> {
                if (m == null) {
                    ct.flush(f);
                } else {
                    ct.flush(f, m[0], m[1]);
                }
                return null;
            });
            CtCommand.summary(spec, m == null ? "connection tracking table has been emptied."
                    : "flows with mark " + mark + " have been deleted.");
            return 0;
        } catch (IOException | RuntimeException e) {
            return CtCommand.fail(spec, where, e);
        }
    }
}
