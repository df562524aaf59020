package dev.conntrace.cli;

import dev.conntrace.conntrack.ConntrackEvents;
import dev.conntrace.conntrack.EventType;
import dev.conntrace.conntrack.FlowFilter;
import dev.conntrace.conntrack.text.ConntrackText;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code conntrace ct events}: conntrack events as {@code conntrack -E} prints them, filtered here. */
@Command(name = "events", aliases = {"-E"}, mixinStandardHelpOptions = true,
        description = "Print conntrack events as they happen (like 'conntrack -E'); filters select the flows shown.")
final class CtEventsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CtCommand.Where where;

    @Mixin
    CtOptions options;

    @Option(names = {"-c", "--count"}, paramLabel = "N", description = "Stop after N events.")
    long count = Long.MAX_VALUE;

    @Option(names = "--seconds", paramLabel = "S", description = "Stop after S seconds.")
    long seconds = Long.MAX_VALUE / 2_000_000_000L;

    @Override
    public Integer call() {
        if (count <= 0 || seconds <= 0) {
            throw new ParameterException(spec.commandLine(), "--count and --seconds must be positive");
        }
        FlowFilter filter = options.filter(spec.commandLine());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            where.run(() -> {
                try (ConntrackEvents events = ConntrackEvents.open(EnumSet.allOf(EventType.class))) {
                    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
                    long[] seen = {0};
                    StringBuilder line = new StringBuilder(256);
                    while (seen[0] < count) {
                        long left = (deadline - System.nanoTime()) / 1_000_000L;
                        if (left <= 0) {
                            break;
                        }
                        events.poll((int) Math.min(left, 1000), e -> {
                            if (seen[0] < count && filter.test(e.flow())) {
                                seen[0]++;
                                line.setLength(0);
                                ConntrackText.appendEvent(line, e, ConntrackText.Options.DEFAULT,
                                        System.currentTimeMillis() / 1000);
                                out.append(line).append('\n');
                            }
                        }, () -> err.println("conntrace: the kernel dropped events (receive queue full)"));
                        out.flush();
                    }
                }
                return null;
            });
            return 0;
        } catch (IOException | RuntimeException e) {
            return CtCommand.fail(spec, where, e);
        }
    }
}
