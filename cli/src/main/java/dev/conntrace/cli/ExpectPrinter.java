package dev.conntrace.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.conntrace.conntrack.EventType;
import dev.conntrace.conntrack.Expect;
import dev.conntrace.conntrack.Tuple;
import dev.conntrace.conntrack.text.ExpectText;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Prints expectations (and expectation events) as they arrive in one of the {@code -o} formats. Not thread-safe. */
abstract class ExpectPrinter {
    final PrintWriter out;

    ExpectPrinter(PrintWriter out) {
        this.out = out;
    }

    static ExpectPrinter of(String format, CommandSpec spec) {
        PrintWriter out = spec.commandLine().getOut();
        return switch (format) {
            case "table" -> new Table(out);
            case "conntrack" -> new ConntrackLines(out);
            case "json" -> new Json(out);
            default -> throw new ParameterException(spec.commandLine(),
                    "--output: invalid value '" + format + "' (table, conntrack or json)");
        };
    }

    /** Called once before the first expectation, with whether events are printed. */
    void begin(boolean events) {}

    /** Prints {@code e}; {@code event} is null for a listed expectation. */
    abstract void print(Expect e, EventType event);

    void end() {
        out.flush();
    }

    /** The line {@code conntrack -L expect} (or {@code -E expect}) prints. */
    static final class ConntrackLines extends ExpectPrinter {
        private final StringBuilder line = new StringBuilder(200);

        ConntrackLines(PrintWriter out) {
            super(out);
        }

        @Override
        void print(Expect e, EventType event) {
            line.setLength(0);
            ExpectText.append(line, e, event);
            out.append(line).append('\n');
        }
    }

    /** Aligned columns for people. */
    static final class Table extends ExpectPrinter {
        private static final String FORMAT = "%-7s %-47s %-47s %7s %s%n";
        private static final String EVENT = "%-8s";

        Table(PrintWriter out) {
            super(out);
        }

        @Override
        void begin(boolean events) {
            if (events) {
                out.printf(EVENT, "EVENT");
            }
            out.printf(FORMAT, "PROTO", "EXPECTED", "MASTER", "TIMEOUT", "HELPER");
        }

        @Override
        void print(Expect e, EventType event) {
            if (event != null) {
                out.printf(EVENT, event.name());
            }
            out.printf(FORMAT, e.tuple().protocol().name(), FlowPrinter.Table.endpoints(e.tuple()),
                    FlowPrinter.Table.endpoints(e.master()), e.timeout() < 0 ? "-" : Long.toString(e.timeout()),
                    e.helper() == null ? "-" : e.helper());
        }
    }

    /** One JSON object per line. */
    static final class Json extends ExpectPrinter {
        private final JsonGenerator json;

        Json(PrintWriter out) {
            super(out);
            try {
                json = new JsonFactory().createGenerator(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            json.setRootValueSeparator(new SerializedString(""));
        }

        @Override
        void print(Expect e, EventType event) {
            try {
                write(e, event);
                // Each line ends at once, so events can be read as they come.
                json.writeRaw('\n');
                json.flush();
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
        }

        @Override
        void end() {
            try {
                json.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            out.flush();
        }

        private void write(Expect e, EventType event) throws IOException {
            json.writeStartObject();
            if (event != null) {
                json.writeStringField("event", event.name().toLowerCase(Locale.ROOT));
            }
            json.writeStringField("family", e.tuple().isIpv6() ? "ipv6" : "ipv4");
            json.writeStringField("proto", e.tuple().protocol().name());
            if (e.timeout() >= 0) {
                json.writeNumberField("timeout", e.timeout());
            }
            tuple("tuple", e.tuple());
            tuple("mask", e.mask());
            tuple("master", e.master());
            if (e.id() >= 0) {
                json.writeNumberField("id", e.id());
            }
            if (e.zone() >= 0) {
                json.writeNumberField("zone", e.zone());
            }
            json.writeArrayFieldStart("flags");
            if (e.isPermanent()) {
                json.writeString("PERMANENT");
            }
            if (e.isInactive()) {
                json.writeString("INACTIVE");
            }
            if (e.isUserspace()) {
                json.writeString("USERSPACE");
            }
            json.writeEndArray();
            if (e.expectClass() >= 0) {
                json.writeNumberField("class", e.expectClass());
            }
            if (e.helper() != null) {
                json.writeStringField("helper", e.helper());
            }
            if (e.function() != null) {
                json.writeStringField("fn", e.function());
            }
            if (e.natTuple() != null) {
                json.writeObjectFieldStart("nat");
                json.writeNumberField("dir", e.natDirection());
                json.writeEndObject();
                tuple("nat_tuple", e.natTuple());
            }
            json.writeEndObject();
        }

        private void tuple(String name, Tuple t) throws IOException {
            FlowPrinter.Json.writeTuple(json, name, t);
        }
    }
}
