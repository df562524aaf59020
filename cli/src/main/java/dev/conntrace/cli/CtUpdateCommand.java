package dev.conntrace.cli;

import dev.conntrace.conntrack.Conntrack;
import dev.conntrace.conntrack.DumpSummary;
import dev.conntrace.conntrack.Flow;
import dev.conntrace.conntrack.FlowFilter;
import dev.conntrace.conntrack.LabelSet;
import dev.conntrace.conntrack.StateMatch;
import dev.conntrace.conntrack.Status;
import dev.conntrace.conntrack.Tuple;
import dev.conntrace.netlink.NetlinkException;
import dev.conntrace.sys.Errno;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code conntrace ct update}: sets mark, timeout, status bits or labels of one flow (by its full
 * original tuple; a missing one is an error) or of every flow the tuple, family, zone, label and
 * NAT options select. {@code -m VALUE/MASK} keeps the mark bits outside MASK; {@code -u} adds status
 * bits; {@code --label-add} sets labels and {@code --label-del} clears them, leaving the others.
 */
@Command(name = "update", aliases = {"-U"}, mixinStandardHelpOptions = true,
        description = "Change mark (-m V[/MASK]), timeout (-t), status (-u, bits added), TCP/SCTP/DCCP state (--state)"
            + " or labels (--label-add, --label-del) of the flow with this original tuple, or of every flow the tuple, -f, --zone, -l and NAT"
            + " options select (like 'conntrack -U').")
final class CtUpdateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CtCommand.Where where;

    @Mixin
    CtOptions options;

    @Mixin
    CtStateOptions stateOptions;

    @Option(names = {"-t", "--timeout"}, paramLabel = "SECONDS", description = "New seconds to live.")
    String timeout;

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        int[] mark = options.mark(cl);
        StateMatch state = options.state(cl);
        stateOptions.requireState(cl, state);
        Status status = options.status(cl);
        Integer seconds = timeout == null ? null : CtOptions.parse(cl, "--timeout", timeout, CtCommand::u32);
        if (options.labelAdd != null && options.labelDel != null) {
            throw new ParameterException(cl, "--label-add and --label-del cannot be used together");
        }
        Labels labels = options.labelAdd != null ? Labels.add(options.labels(cl, "--label-add", options.labelAdd))
                : options.labelDel == null ? null : options.labelDel.isEmpty() ? Labels.clearAll()
                : Labels.delete(options.labels(cl, "--label-del", options.labelDel));
        if (mark == null && status == null && seconds == null && labels == null && state == null) {
            throw new ParameterException(cl,
                    "'update' needs a new -m/--mark, -t/--timeout, -u/--status, --state, --label-add or --label-del");
        }
        Change change = new Change(mark, status, seconds, labels, state, stateOptions, cl);
        boolean one = options.namesOneTuple(cl) && options.label == null && options.replyZone == null
                && options.secmark == null;
        try {
            if (one) {
                Tuple t = options.original(cl, "update");
                int zone = Math.max(0, options.zone(cl));
                boolean updated = where.withConntrack(ct -> {
                    Optional<Flow> f = ct.get(t, zone);
                    return f.isPresent() && update(ct, f.get(), change);
                });
                if (!updated) {
                    return CtCommand.error(spec, "no such flow");
                }
                CtCommand.summary(spec, "1 flow entries have been updated.");
                return 0;
            }
            // As a filter the mark and status are new values, not criteria.
            CtOptions selection = options.withoutValues();
            FlowFilter chosen = selection.filter(cl);
            // A new state is one protocol's: only that protocol's flows can take it.
            FlowFilter filter = state == null ? chosen : chosen.withProtocol(state.protocol());
            long[] updated = {0};
            DumpSummary s = where.run(() -> {
                try (Conntrack dumper = Conntrack.open(); Conntrack updater = Conntrack.open()) {
                    return dumper.dump(filter, f -> {
                        try {
                            if (update(updater, f, change)) {
                                updated[0]++;
                            }
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
                }
            });
            CtListCommand.malformed(spec, s);
            CtCommand.summary(spec, updated[0] + " flow entries have been updated.");
            return 0;
        } catch (UncheckedIOException e) {
            return CtCommand.fail(spec, where, e.getCause());
        } catch (IOException | RuntimeException e) {
            return CtCommand.fail(spec, where, e);
        }
    }

    /**
     * A label change as {@code CTA_LABELS} and {@code CTA_LABELS_MASK}: the kernel keeps the bits the
     * mask leaves clear and sets those of the labels (no mask: the labels replace all).
     */
    private record Labels(LabelSet labels, LabelSet mask) {
        static Labels add(LabelSet s) {
            return new Labels(s, s);
        }

        static Labels delete(LabelSet s) {
            return new Labels(LabelSet.NONE, s);
        }

        static Labels clearAll() {
            return new Labels(LabelSet.NONE, null);
        }
    }

    /** The new values of an update; null for what stays. */
    private record Change(int[] mark, Status status, Integer seconds, Labels labels, StateMatch state,
            CtStateOptions stateOptions, CommandLine cl) {}

    /** Sends the change for {@code f}; false when it vanished meanwhile. */
    private static boolean update(Conntrack ct, Flow f, Change c) throws IOException {
        int[] mark = c.mark();
        Status status = c.status();
        Integer seconds = c.seconds();
        Labels labels = c.labels();
        Flow.Builder b = Flow.builder().original(f.original());
        if (c.state() != null) {
            b.protoInfo(c.stateOptions().protoInfo(c.cl(), "update", c.state(), f.protoInfo()));
        }
        if (labels != null) {
            b.labels(labels.labels().toBitmap());
            if (labels.mask() != null) {
                b.labelsMask(labels.mask().toBitmap());
            }
        }
        if (f.hasZone()) {
            b.zone(f.zone());
        }
        if (mark != null) {
            b.mark((f.mark() & ~mark[1]) | (mark[0] & mark[1]));
        }
        if (status != null) {
            b.statusBits(f.statusBits() | status.bits());
        }
        if (seconds != null) {
            b.timeout(seconds);
        }
        try {
            ct.update(b.build());
            return true;
        } catch (NetlinkException e) {
            if (e.errno() == Errno.ENOENT) {
                return false;
            }
            throw e;
        }
    }
}
