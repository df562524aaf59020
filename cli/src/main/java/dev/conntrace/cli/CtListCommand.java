package dev.conntrace.cli;

import dev.conntrace.conntrack.DumpSummary;
import dev.conntrace.conntrack.FlowFilter;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code conntrace ct list}: the flows a filter selects, as {@code conntrack -L} lists them. */
@Command(name = "list", aliases = {"-L"}, mixinStandardHelpOptions = true,
        description = "List tracked connections as they are read from the kernel (like 'conntrack -L').")
final class CtListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CtCommand.Where where;

    @Mixin
    CtOptions options;

    @Option(names = {"-o", "--output"}, defaultValue = "table", paramLabel = "FORMAT",
            description = "table (default), conntrack (as 'conntrack -L -o extended'), conntrack,labels (-o extended,labels) or json (one object per line).")
    String output;

    @Option(names = {"-z", "--zero"}, description = "Zero the counters of the flows listed (like 'conntrack -L -z').")
    boolean zero;

    @Override
    public Integer call() {
        FlowFilter filter = options.filter(spec.commandLine());
        if (zero && !filter.equals(FlowFilter.of(filter.family()))) {
            // The kernel zeroes every flow it sends, also those a filter applied here would hide.
            throw new ParameterException(spec.commandLine(), "--zero cannot be used with filters other than -f");
        }
        FlowPrinter printer = FlowPrinter.of(output, spec, options);
        try {
            DumpSummary s = where.withConntrack(ct -> {
                // Formatting costs more per flow than decoding: worth doing while the kernel fills
                // the next datagrams (1M flows: 8.2 s against 9.2 s receiving inline, load 7).
                ct.receiveAhead(true);
                printer.begin();
                DumpSummary r = zero ? ct.dumpAndZeroCounters(filter, printer::print) : ct.dump(filter, printer::print);
                printer.end();
                return r;
            });
            malformed(spec, s);
            return 0;
        } catch (IOException | RuntimeException e) {
            printer.end();
            return CtCommand.fail(spec, where, e);
        }
    }

    /** Says on stderr how many malformed kernel messages a dump skipped, if any. */
    static void malformed(CommandSpec spec, DumpSummary s) {
        if (s.malformed() > 0) {
            CtCommand.summary(spec, "skipped " + s.malformed() + " malformed messages from the kernel");
        }
    }
}
