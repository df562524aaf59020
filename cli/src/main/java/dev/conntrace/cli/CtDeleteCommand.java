package dev.conntrace.cli;

import dev.conntrace.conntrack.Conntrack;
import dev.conntrace.conntrack.DumpSummary;
import dev.conntrace.conntrack.FlowFilter;
import dev.conntrace.conntrack.Tuple;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code conntrace ct delete}: one flow by its full original tuple (a missing one is an error), or
 * every flow a filter selects (as {@code conntrack -D} does), reporting the count on stderr.
 */
@Command(name = "delete", aliases = {"-D"}, mixinStandardHelpOptions = true,
        description = "Delete the flow with this original tuple, or every flow the filter options select (like 'conntrack -D').")
final class CtDeleteCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CtCommand.Where where;

    @Mixin
    CtOptions options;

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        CtOptions.forbid(cl, "delete", "--label-add", "--label-del");
        boolean one = options.namesOneTuple(cl) && options.replySrc == null && options.replyDst == null
                && options.replySport == null && options.replyDport == null && options.replySrcKey == null
                && options.replyDstKey == null && options.family == null
                && options.mark == null && options.status == null && options.state == null && options.srcNat == null
                && options.dstNat == null && options.anyNat == null && options.replyZone == null && options.label == null
                && options.secmark == null;
        try {
            if (one) {
                Tuple t = options.original(cl, "delete");
                int zone = Math.max(0, options.zone(cl));
                boolean deleted = where.withConntrack(ct -> {
                    return ct.delete(t, zone, null);
                });
                if (!deleted) {
                    return CtCommand.error(spec, "no such flow");
                }
                CtCommand.summary(spec, "1 flow entries have been deleted.");
                return 0;
            }
            FlowFilter filter = options.filter(cl);
            long[] deleted = {0};
            DumpSummary s = where.run(() -> {
                try (Conntrack dumper = Conntrack.open(); Conntrack deleter = Conntrack.open()) {
                    return dumper.dump(filter, f -> {
                        try {
                            if (deleter.delete(f)) {
                                deleted[0]++;
                            }
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
                }
            });
            CtListCommand.malformed(spec, s);
            CtCommand.summary(spec, deleted[0] + " flow entries have been deleted.");
            return 0;
        } catch (UncheckedIOException e) {
            return CtCommand.fail(spec, where, e.getCause());
        } catch (IOException | RuntimeException e) {
            return CtCommand.fail(spec, where, e);
        }
    }
}
