package dev.conntrace.cli;

import dev.conntrace.packet.Fanout;
import picocli.CommandLine.Option;

/**
 * {@code --fanout ID[:MODE[,defrag]]} of the live commands: the capture socket joins a PACKET_FANOUT group, so
 * that several conntrace processes with the same ID on one interface share its packets. Kept as text and
 * parsed when read, so a bad value is one line naming it (exit status 2).
 */
final class FanoutOption {
    @Option(names = "--fanout", paramLabel = "ID[:MODE]",
            description = "Live: join PACKET_FANOUT group ID (0..65535) so that processes with the same ID on the "
                    + "interface share its packets; MODE: hash (default: each flow to one member), lb, cpu, rollover, "
                    + "random, qm; ',defrag' (e.g. hash,defrag) makes the kernel join IP fragments before choosing.")
    String spec;

    /**
     * A warning for commands that follow connections (streams, dns) when {@code fanout} may send a connection's
     * packets to several processes (any mode but hash), else null.
     */
    static String splitWarning(Fanout fanout) {
        if (fanout == null || fanout.mode() == Fanout.Mode.HASH) {
            return null;
        }
        return "warning: fanout mode " + fanout.mode().label() + " spreads a connection's packets over the group's "
                + "processes; hash keeps each one in one process";
    }

    /** The group, or null when {@code --fanout} is not given; IllegalArgumentException naming a bad id, mode or flag. */
    Fanout fanout() {
        return spec == null ? null : Fanout.parse(spec);
    }
}
