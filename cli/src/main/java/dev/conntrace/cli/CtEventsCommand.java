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

    @Option(names = {"-e", "--event-mask"}, defaultValue = "ALL", paramLabel = "TYPES",
            description = "Event types, comma separated: NEW, UPDATE, DESTROY or ALL (default).")
    String eventMask;

    @Option(names = "--seconds", paramLabel = "S", description = "Stop after S seconds.")
    long seconds = Long.MAX_VALUE / 2_000_000_000L;

    @Option(names = {"-o", "--output"}, defaultValue = "conntrack", paramLabel = "FORMAT",
            description = "conntrack (default, as 'conntrack -E' prints), conntrack,labels (-o labels), table, or json (one object per line"
                + " with an \"event\" field).")
    String output;

    @Override
    public Integer call() {
        if (count <= 0 || seconds <= 0) {
            throw new ParameterException(spec.commandLine(), "--count and --seconds must be positive");
        }
        FlowFilter filter = options.filter(spec.commandLine());
        EnumSet<EventType> types = CtOptions.parse(spec.commandLine(), "--event-mask", eventMask, CtEventsCommand::types);
        // conntrack's own event lines carry the event tag and a [USERSPACE] mark, so they are built here;
        // the other formats print the flow with its event type.
        boolean conntrackLines = output.equals("conntrack") || output.equals("conntrack,labels");
        FlowPrinter printer = conntrackLines ? null : FlowPrinter.of(output, spec, options);
        ConntrackText.Options lineOptions = LabelNames.conntrackOptions(ConntrackText.Options.DEFAULT,
                output.endsWith(",labels"), options, spec);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            where.run(() -> {
                try (ConntrackEvents events = ConntrackEvents.open(types)) {
                    if (printer != null) {
                        printer.beginEvents();
                    }
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
                                if (printer != null) {
                                    printer.print(e.type(), e.flow());
                                    return;
                                }
                                line.setLength(0);
                                ConntrackText.appendEvent(line, e, lineOptions,
                                        System.currentTimeMillis() / 1000);
                                out.append(line).append('\n');
                            }
                        }, () -> {
                            long dropped = events.socketDrops();
                            err.println("conntrace: the kernel dropped events (receive queue full"
                                    + (dropped >= 0 ? "; " + dropped + " dropped so far)" : ")"));
                        });
                        if (printer != null) {
                            printer.flush();
                        }
                        out.flush();
                    }
                    if (printer != null) {
                        printer.end();
                    }
                }
                return null;
            });
            return 0;
        } catch (IOException | RuntimeException e) {
            return CtCommand.fail(spec, where, e);
        }
    }

    /** Parses conntrack's {@code -e} list: NEW, UPDATE, DESTROY, ALL, comma separated. */
    static EnumSet<EventType> types(String text) {
        EnumSet<EventType> out = EnumSet.noneOf(EventType.class);
        for (String part : text.split(",")) {
            String p = part.strip().toUpperCase(java.util.Locale.ROOT);
            if (p.equals("ALL")) {
                out.addAll(EnumSet.allOf(EventType.class));
            } else {
                try {
                    out.add(EventType.valueOf(p));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown event type '" + part + "' in '" + text + "'");
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no event type in '" + text + "'");
        }
        return out;
    }
}
