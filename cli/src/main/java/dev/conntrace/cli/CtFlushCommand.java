package dev.conntrace.cli;

import dev.conntrace.conntrack.AddressFamily;
import dev.conntrace.conntrack.Conntrack;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code conntrace ct flush}: empties the table, or one family of it, as {@code conntrack -F}. */
@Command(name = "flush", aliases = {"-F"}, mixinStandardHelpOptions = true,
        description = "Delete every tracked connection, or those of one family (like 'conntrack -F').")
final class CtFlushCommand implements Callable<Integer> {
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
                    ct.flush(f);
                    return null;
                }
            });
            CtCommand.summary(spec, "connection tracking table has been emptied.");
            return 0;
        } catch (IOException | RuntimeException e) {
            return CtCommand.fail(spec, where, e);
        }
    }
}
