package dev.conntrace.cli;

import dev.conntrace.conntrack.Flow;
import dev.conntrace.conntrack.Tuple;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code conntrace ct get}: one flow by its original tuple, as {@code conntrack -G}. */
@Command(name = "get", aliases = {"-G"}, mixinStandardHelpOptions = true,
        description = "Print the flow with this original tuple (-s, -d, -p and ports, GRE keys or ICMP type, code and id;"
            + " --zone or --orig-zone).")
final class CtGetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CtCommand.Where where;

    @Mixin
    CtOptions options;

    @Option(names = {"-o", "--output"}, defaultValue = "table", paramLabel = "FORMAT",
            description = "table (default), conntrack (as 'conntrack -G -o extended'), conntrack,labels or json.")
    String output;

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        CtOptions.forbid(cl, "get", "--reply-src", "--reply-dst", "--reply-port-src", "--reply-port-dst", "--reply-key-src",
                "--reply-key-dst", "--family",
                "--mark", "--status", "--state", "--src-nat", "--dst-nat", "--any-nat", "--reply-zone", "--label",
                "--label-add", "--label-del", "--secmark");
        Tuple t = options.original(cl, "get");
        int zone = Math.max(0, options.zone(cl));
        FlowPrinter printer = FlowPrinter.of(output, spec, options);
        try {
            Optional<Flow> f = where.withConntrack(ct -> {
                return ct.get(t, zone);
            });
            if (f.isEmpty()) {
                return CtCommand.error(spec, "no such flow");
            }
            printer.begin();
            printer.print(f.get());
            printer.end();
            return 0;
        } catch (IOException | RuntimeException e) {
            return CtCommand.fail(spec, where, e);
        }
    }
}
