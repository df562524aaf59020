package dev.conntrace.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.conntrace.conntrack.Counters;
import dev.conntrace.conntrack.EventType;
import dev.conntrace.conntrack.Flow;
import dev.conntrace.conntrack.L4Protocol;
import dev.conntrace.conntrack.ProtoInfo;
import dev.conntrace.conntrack.Status;
import dev.conntrace.conntrack.Timestamps;
import dev.conntrace.conntrack.Tuple;
import dev.conntrace.conntrack.text.ConntrackLineBuffer;
import dev.conntrace.conntrack.text.ConntrackText;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Prints flows as they arrive in one of the {@code -o} formats. Not thread-safe. */
abstract class FlowPrinter {
    final PrintWriter out;

    FlowPrinter(PrintWriter out) {
        this.out = out;
    }

    /**
     * The printer for {@code -o format}: {@code table}, {@code json}, {@code conntrack}, or
     * {@code conntrack,labels} (conntrack's {@code -o extended,labels}: lines end with the names of
     * the labels, as they also do when {@code options} name labels, since conntrack then loads the names).
     */
    static FlowPrinter of(String format, CommandSpec spec, CtOptions options) {
        PrintWriter out = spec.commandLine().getOut();
        LabelNames labels = new LabelNames(options);
        return switch (format) {
            case "table" -> new Table(out, labels);
            case "conntrack", "conntrack,labels" -> new ConntrackLines(out,
                    LabelNames.conntrackOptions(ConntrackText.Options.EXTENDED, format.endsWith(",labels"), options, spec));
            case "json" -> new Json(out, labels);
            default -> throw new ParameterException(spec.commandLine(),
                    "--output: invalid value '" + format + "' (table, conntrack, conntrack,labels or json)");
        };
    }

    void begin() {}

    /** Starts a stream of events: the table gets an EVENT column. */
    void beginEvents() {
        begin();
    }

    abstract void print(Flow f);

    /** One event's flow; the JSON object gets an {@code event} field, the table an EVENT column. */
    void print(EventType event, Flow f) {
        print(f);
    }

    /** Sends what is buffered on, so that events are seen as they come. */
    void flush() {
        out.flush();
    }

    void end() {
        out.flush();
    }

    /**
     * The line {@code conntrack -L -o extended} prints, formatted as bytes into a 1 MiB buffer that
     * goes to standard output's file descriptor in one write when full (through the writer, as text,
     * when standard output is not the process's, as in tests).
     */
    static final class ConntrackLines extends FlowPrinter {
        private static final int FLUSH_AT = 1 << 20;
        private final ConntrackLineBuffer lines;
        private final OutputStream bytes;

        ConntrackLines(PrintWriter out, ConntrackText.Options options) {
            super(out);
            this.lines = new ConntrackLineBuffer(options, FLUSH_AT + 4096);
            this.bytes = out instanceof StdoutWriter std ? std.bytes() : null;
        }

        @Override
        void begin() {
            out.flush(); // what the writer holds goes before the bytes written under it
        }

        @Override
        void print(Flow f) {
            lines.appendLine(f, null, System.currentTimeMillis() / 1000);
            if (lines.length() >= FLUSH_AT) {
                drain();
            }
        }

        @Override
        void end() {
            drain();
            if (bytes != null) {
                try {
                    bytes.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            out.flush();
        }

        private void drain() {
            if (bytes == null) {
                out.append(lines.toString());
                lines.clear();
                return;
            }
            try {
                lines.writeTo(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Aligned columns for people. */
    static final class Table extends FlowPrinter {
        private static final String FORMAT = "%-7s %-11s %-47s %-47s %7s %10s %12s %s%n";
        private static final String EVENT = "%-8s";
        private final LabelNames labels;

        Table(PrintWriter out, LabelNames labels) {
            super(out);
            this.labels = labels;
        }

        @Override
        void begin() {
            out.printf(FORMAT, "PROTO", "STATE", "ORIGINAL", "REPLY", "TIMEOUT", "PACKETS", "BYTES", "LABELS");
        }

        @Override
        void beginEvents() {
            out.printf(EVENT, "EVENT");
            begin();
        }

        @Override
        void print(EventType event, Flow f) {
            out.printf(EVENT, event.name());
            print(f);
        }

        @Override
        void print(Flow f) {
            String state = switch (f.protoInfo()) {
                case ProtoInfo.Tcp t -> t.state().name();
                case ProtoInfo.Sctp s -> s.state().name();
                case ProtoInfo.Dccp d -> d.state().name();
                case null -> f.status().isAssured() ? "ASSURED" : f.status().isSeenReply() ? "REPLIED" : "UNREPLIED";
            };
            long packets = 0;
            long bytes = 0;
            for (Counters c : new Counters[] {f.countersOriginal(), f.countersReply()}) {
                if (c != null) {
                    packets += c.packets();
                    bytes += c.bytes();
                }
            }
            boolean counted = f.countersOriginal() != null;
            List<String> names = labels.describe(f);
            out.printf(FORMAT, f.protocol().name(), state, endpoints(f.original()), endpoints(f.reply()),
                    f.hasTimeout() ? Integer.toUnsignedString(f.timeout()) : "-",
                    counted ? Long.toUnsignedString(packets) : "-", counted ? Long.toUnsignedString(bytes) : "-",
                    names.isEmpty() ? "-" : String.join(",", names));
        }

        /** {@code src:port -> dst:port}, IPv6 hosts in brackets, {@code -} for no tuple. */
        static String endpoints(Tuple t) {
            if (t == null) {
                return "-";
            }
            boolean ports = t.protocol().hasPorts();
            boolean keys = t.protocol().equals(L4Protocol.GRE);
            return hostPort(t.source().toString(), t.isIpv6(), ports || keys ? t.sourcePort() : -1, keys) + " -> "
                    + hostPort(t.destination().toString(), t.isIpv6(), ports || keys ? t.destinationPort() : -1, keys);
        }

        /** {@code host:port}, or for a GRE key {@code host:0x1f} (hex, as conntrack prints keys). */
        private static String hostPort(String host, boolean v6, int port, boolean key) {
            if (port < 0) {
                return host;
            }
            return (v6 ? "[" + host + "]" : host) + ":" + (key ? "0x" + Integer.toHexString(port) : port);
        }
    }

    /** One JSON object per line. */
    static final class Json extends FlowPrinter {
        private final JsonGenerator json;
        private final LabelNames labels;

        Json(PrintWriter out, LabelNames labels) {
            super(out);
            this.labels = labels;
            try {
                json = new JsonFactory().createGenerator(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            json.setRootValueSeparator(new SerializedString(""));
        }

        @Override
        void print(Flow f) {
            print(null, f);
        }

        @Override
        void print(EventType event, Flow f) {
            print(event, f, null);
        }

        /** One flow's object with the caller's {@code extra} fields after the flow's own. */
        void print(EventType event, Flow f, Fields extra) {
            try {
                write(event, f, extra);
                json.writeRaw('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        void flush() {
            try {
                json.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        void end() {
            flush();
            out.flush();
        }

        /** Fields a caller adds to a flow's object. */
        @FunctionalInterface
        interface Fields {
            void write(JsonGenerator json) throws IOException;
        }

        private void write(EventType event, Flow f, Fields extra) throws IOException {
            json.writeStartObject();
            if (event != null) {
                json.writeStringField("event", event.name().toLowerCase(Locale.ROOT));
            }
            json.writeStringField("family", f.isIpv6() ? "ipv6" : "ipv4");
            json.writeStringField("proto", f.protocol().name());
            if (f.protoInfo() instanceof ProtoInfo.Tcp t) {
                json.writeStringField("state", t.state().name());
            } else if (f.protoInfo() instanceof ProtoInfo.Sctp s) {
                json.writeStringField("state", s.state().name());
            } else if (f.protoInfo() instanceof ProtoInfo.Dccp d) {
                json.writeStringField("state", d.state().name());
            }
            if (f.hasTimeout()) {
                json.writeNumberField("timeout", Integer.toUnsignedLong(f.timeout()));
            }
            if (f.hasStatus()) {
                json.writeArrayFieldStart("status");
                for (Status.Bit b : Status.Bit.values()) {
                    if (f.status().has(b)) {
                        json.writeString(b.name());
                    }
                }
                json.writeEndArray();
            }
            tuple("orig", f.original());
            tuple("reply", f.reply());
            if (f.master() != null) {
                tuple("master", f.master());
            }
            if (f.countersOriginal() != null || f.countersReply() != null) {
                json.writeObjectFieldStart("counters");
                counters("orig", f.countersOriginal());
                counters("reply", f.countersReply());
                json.writeEndObject();
            }
            if (f.hasMark()) {
                json.writeNumberField("mark", Integer.toUnsignedLong(f.mark()));
            }
            if (f.hasSecmark()) {
                json.writeNumberField("secmark", Integer.toUnsignedLong(f.secmark()));
            }
            if (f.hasZone()) {
                json.writeNumberField("zone", f.zone());
            }
            if (f.hasId()) {
                json.writeNumberField("id", Integer.toUnsignedLong(f.id()));
            }
            if (f.hasUse()) {
                json.writeNumberField("use", Integer.toUnsignedLong(f.use()));
            }
            Timestamps ts = f.timestamps();
            if (ts != null) {
                json.writeObjectFieldStart("timestamp");
                json.writeNumberField("start", ts.startNanos());
                if (ts.stopped()) {
                    json.writeNumberField("stop", ts.stopNanos());
                }
                json.writeEndObject();
            }
            if (f.helper() != null) {
                json.writeStringField("helper", f.helper());
            }
            if (f.securityContext() != null) {
                json.writeStringField("secctx", f.securityContext());
            }
            byte[] labels = f.labels();
            if (labels != null) {
                json.writeStringField("labels", HexFormat.of().formatHex(labels));
                json.writeArrayFieldStart("label_names");
                for (String name : this.labels.describe(f)) {
                    json.writeString(name);
                }
                json.writeEndArray();
            }
            if (extra != null) {
                extra.write(json);
            }
            json.writeEndObject();
        }

        private void tuple(String name, Tuple t) throws IOException {
            writeTuple(json, name, t);
        }

        /** {@code name: {src, dst, sport, dport | srckey, dstkey | type, code, id, zone}}; nothing for no tuple. */
        static void writeTuple(JsonGenerator json, String name, Tuple t) throws IOException {
            if (t == null) {
                return;
            }
            json.writeObjectFieldStart(name);
            json.writeStringField("src", t.source().toString());
            json.writeStringField("dst", t.destination().toString());
            if (t.protocol().hasPorts()) {
                json.writeNumberField("sport", t.sourcePort());
                json.writeNumberField("dport", t.destinationPort());
            } else if (t.protocol().equals(L4Protocol.GRE)) {
                json.writeNumberField("srckey", t.sourcePort());
                json.writeNumberField("dstkey", t.destinationPort());
            } else if (t.protocol().isIcmp()) {
                json.writeNumberField("type", t.icmpType());
                json.writeNumberField("code", t.icmpCode());
                json.writeNumberField("id", t.icmpId());
            }
            if (t.hasZone()) {
                json.writeNumberField("zone", t.zone());
            }
            json.writeEndObject();
        }

        private void counters(String name, Counters c) throws IOException {
            if (c == null) {
                return;
            }
            json.writeObjectFieldStart(name);
            json.writeNumberField("packets", c.packets());
            json.writeNumberField("bytes", c.bytes());
            json.writeEndObject();
        }
    }
}
