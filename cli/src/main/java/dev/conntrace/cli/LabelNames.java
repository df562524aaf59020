package dev.conntrace.cli;

import dev.conntrace.conntrack.Flow;
import dev.conntrace.conntrack.text.ConnLabelMap;
import dev.conntrace.conntrack.text.ConntrackText;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Names of the labels flows carry, for printing: read from connlabel.conf (or {@code --connlabel})
 * when first needed; where a bit has no name, its number. Not thread-safe.
 */
final class LabelNames {
    private final CtOptions options;
    private ConnLabelMap map;

    LabelNames(CtOptions options) {
        this.options = options;
    }

    /**
     * {@code base} with label names when conntrack would print them: asked for ({@code -o …,labels})
     * or named by the options, and a connlabel.conf to read them from (without one, conntrack prints none).
     */
    static ConntrackText.Options conntrackOptions(ConntrackText.Options base, boolean asked, CtOptions options,
            CommandSpec spec) {
        if (!asked && !options.namesLabels()) {
            return base;
        }
        try {
            return options.labelNames().map(m -> new ConntrackText.Options(base.extended(), base.id(),
                    base.ktimestamp(), m.names(), base.timeZone())).orElse(base);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "cannot read label names: " + e.getMessage());
        }
    }

    /** The flow's labels by name (bit number where there is none), empty for none. */
    List<String> describe(Flow f) {
        if (f.labelBits() == 0) {
            return List.of();
        }
        if (map == null) {
            try {
                map = options == null ? ConnLabelMap.EMPTY : options.labelNames().orElse(ConnLabelMap.EMPTY);
            } catch (IOException e) {
                map = ConnLabelMap.EMPTY; // names are a help here; the bits still show
            }
        }
        return map.describe(f);
    }
}
