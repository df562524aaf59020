package dev.conntrace.cli;

import dev.conntrace.conntrack.Flow;
import dev.conntrace.conntrack.LabelSet;
import dev.conntrace.conntrack.StateMatch;
import dev.conntrace.conntrack.Status;
import dev.conntrace.conntrack.Tuple;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code conntrace ct create}: adds a flow, as {@code conntrack -I}. */
@Command(name = "create", aliases = {"-I"}, mixinStandardHelpOptions = true,
        description = "Create a flow (like 'conntrack -I'): -s, -d, -p and ports, GRE keys or ICMP type, code and id; -t TIMEOUT;"
            + " optionally -r/-q/--reply-port-* (default: the inverse), -u STATUS, --state (with -p sctp: --orig-vtag/--reply-vtag; -p dccp: --role), -m MARK, --zone,"
            + " --orig-zone/--reply-zone, --label-add LABELS.")
final class CtCreateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CtCommand.Where where;

    @Mixin
    CtOptions options;

    @Mixin
    CtStateOptions stateOptions;

    @Option(names = {"-t", "--timeout"}, paramLabel = "SECONDS", description = "Seconds to live (required).")
    String timeout;

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        CtOptions.forbid(cl, "create", "--family", "--src-nat", "--dst-nat", "--any-nat", "--label", "--label-del",
                "--secmark");
        Tuple original = options.original(cl, "create");
        if (timeout == null) {
            throw new ParameterException(cl, "'create' needs -t/--timeout");
        }
        Flow.Builder b = Flow.builder().original(original).reply(options.reply(cl, original))
                .timeout(CtOptions.parse(cl, "--timeout", timeout, CtCommand::u32));
        Status status = options.status(cl);
        if (status != null) {
            b.status(status);
        }
        StateMatch state = options.state(cl);
        stateOptions.requireState(cl, state);
        if (state != null) {
            b.protoInfo(stateOptions.protoInfo(cl, "create", state, null));
        }
        int[] mark = options.mark(cl);
        if (mark != null) {
            if (mark[1] != -1) {
                throw new ParameterException(cl, "--mark '" + options.mark + "': a new flow takes a mark without mask");
            }
            b.mark(mark[0]);
        }
        int zone = options.zone(cl);
        if (zone >= 0) {
            b.zone(zone);
        }
        LabelSet labels = options.labels(cl, "--label-add", options.labelAdd);
        if (labels != null) {
            b.labels(labels.toBitmap());
        }
        Flow flow = b.build();
        try {
            where.withConntrack(ct -> {
                ct.create(flow);
                return null;
            });
            CtCommand.summary(spec, "1 flow entries have been created.");
            return 0;
        } catch (IOException | RuntimeException e) {
            return CtCommand.fail(spec, where, e);
        }
    }
}
