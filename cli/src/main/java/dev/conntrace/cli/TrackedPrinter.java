package dev.conntrace.cli;

import dev.conntrace.conntrack.TrackedConnection;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Prints {@code ct track}'s snapshots: a table per snapshot, or one JSON object per connection. Not thread-safe. */
abstract class TrackedPrinter {
    final PrintWriter out;

    TrackedPrinter(PrintWriter out) {
        this.out = out;
    }

    static TrackedPrinter of(String format, PrintWriter out, LabelNames labels) {
        return format.equals("json") ? new Json(out, labels) : new Table(out, labels);
    }

    /** One snapshot: the connections active now and those that ended since the previous one. */
    abstract void print(List<TrackedConnection> connections);

    void end() {
        out.flush();
    }

    /** ACTIVE or ENDED, with {@code ~} when the state was inferred from a dump (after lost events, or periodic). */
    static String label(TrackedConnection c) {
        return (c.active() ? "ACTIVE" : "ENDED") + (c.reconciled() ? "~" : "");
    }

    /** Nanoseconds since the epoch, as the flows' own timestamps are given. */
    static long epochNanos(Instant t) {
        return ChronoUnit.NANOS.between(Instant.EPOCH, t);
    }

    /** A heading line per snapshot, then the flows' table with a CONN column in front. */
    static final class Table extends TrackedPrinter {
        private final FlowPrinter.Table flows;

        Table(PrintWriter out, LabelNames labels) {
            super(out);
            this.flows = new FlowPrinter.Table(out, labels);
        }

        @Override
        void print(List<TrackedConnection> connections) {
            long active = connections.stream().filter(TrackedConnection::active).count();
            out.printf("%s: %d active, %d ended (~: inferred from a dump)%n",
                    Instant.now().truncatedTo(ChronoUnit.MILLIS), active, connections.size() - active);
            out.printf("%-8s", "CONN");
            flows.begin();
            for (TrackedConnection c : connections) {
                out.printf("%-8s", label(c));
                flows.print(c.flow());
            }
            out.println();
            out.flush();
        }
    }

    /** The flow's JSON object with a {@code track} object: active, reconciled, first_seen and ended (ns since the epoch). */
    static final class Json extends TrackedPrinter {
        private final FlowPrinter.Json flows;

        Json(PrintWriter out, LabelNames labels) {
            super(out);
            this.flows = new FlowPrinter.Json(out, labels);
        }

        @Override
        void print(List<TrackedConnection> connections) {
            for (TrackedConnection c : connections) {
                flows.print(null, c.flow(), json -> {
                    json.writeObjectFieldStart("track");
                    json.writeBooleanField("active", c.active());
                    json.writeBooleanField("reconciled", c.reconciled());
                    json.writeNumberField("first_seen", epochNanos(c.firstSeen()));
                    if (c.endedAt() != null) {
                        json.writeNumberField("ended", epochNanos(c.endedAt()));
                    }
                    json.writeEndObject();
                });
            }
            flows.flush();
            out.flush();
        }

        @Override
        void end() {
            flows.end();
        }
    }
}
