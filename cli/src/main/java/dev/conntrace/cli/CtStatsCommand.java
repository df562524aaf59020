package dev.conntrace.cli;

import dev.conntrace.conntrack.CpuStats;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code conntrace ct stats}: per-CPU counters, line for line as {@code conntrack -S}. */
@Command(name = "stats", aliases = {"-S"}, mixinStandardHelpOptions = true,
        description = "Print per-CPU conntrack statistics (like 'conntrack -S').")
final class CtStatsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CtCommand.Where where;

    @Override
    public Integer call() {
        try {
            List<CpuStats> cpus = where.withConntrack(ct -> {
                return ct.cpuStats();
            });
            PrintWriter out = spec.commandLine().getOut();
            for (CpuStats c : cpus) {
                out.println(c.toConntrackLine());
            }
            out.flush();
            return 0;
        } catch (IOException | RuntimeException e) {
            return CtCommand.fail(spec, where, e);
        }
    }
}
