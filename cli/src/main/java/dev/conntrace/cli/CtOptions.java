package dev.conntrace.cli;

import dev.conntrace.conntrack.AddressFamily;
import dev.conntrace.conntrack.AddressMatch;
import dev.conntrace.conntrack.FlowFilter;
import dev.conntrace.conntrack.L4Protocol;
import dev.conntrace.conntrack.LabelSet;
import dev.conntrace.conntrack.NatAddress;
import dev.conntrace.conntrack.NatMatch;
import dev.conntrace.conntrack.StateMatch;
import dev.conntrace.conntrack.Status;
import dev.conntrace.conntrack.Tuple;
import dev.conntrace.conntrack.TupleMatch;
import dev.conntrace.conntrack.text.ConnLabelMap;
import dev.conntrace.sys.IpAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The tuple and selection options of {@code conntrack}, spelled as conntrack-tools spells them, shared
 * by the {@code ct} subcommands. Each command reads what applies to it: a filter ({@link #filter}),
 * a tuple ({@link #original}), or new values. Values are kept as text and parsed when read so a bad
 * one becomes one line naming it (exit status 2).
 */
final class CtOptions {
    @Option(names = {"-s", "--src", "--orig-src"}, paramLabel = "ADDR[/LEN]", description = "Original source address (or network, for filters).")
    String src;

    @Option(names = {"-d", "--dst", "--orig-dst"}, paramLabel = "ADDR[/LEN]", description = "Original destination address (or network, for filters).")
    String dst;

    @Option(names = {"-r", "--reply-src"}, paramLabel = "ADDR[/LEN]", description = "Reply source address.")
    String replySrc;

    @Option(names = {"-q", "--reply-dst"}, paramLabel = "ADDR[/LEN]", description = "Reply destination address.")
    String replyDst;

    @Option(names = {"-p", "--proto", "--protonum"}, paramLabel = "PROTO", description = "L4 protocol: name or number.")
    String proto;

    @Option(names = {"--sport", "--orig-port-src"}, paramLabel = "PORT", description = "Original source port.")
    String sport;

    @Option(names = {"--dport", "--orig-port-dst"}, paramLabel = "PORT", description = "Original destination port.")
    String dport;

    @Option(names = "--reply-port-src", paramLabel = "PORT", description = "Reply source port.")
    String replySport;

    @Option(names = "--reply-port-dst", paramLabel = "PORT", description = "Reply destination port.")
    String replyDport;

    @Option(names = {"--srckey", "--orig-key-src"}, paramLabel = "KEY", description = "GRE key of the original source (-p gre).")
    String srcKey;

    @Option(names = {"--dstkey", "--orig-key-dst"}, paramLabel = "KEY", description = "GRE key of the original destination (-p gre).")
    String dstKey;

    @Option(names = "--reply-key-src", paramLabel = "KEY", description = "GRE key of the reply source (-p gre).")
    String replySrcKey;

    @Option(names = "--reply-key-dst", paramLabel = "KEY", description = "GRE key of the reply destination (-p gre).")
    String replyDstKey;

    /** True once the GRE keys have been checked and, for -p gre, moved into the port fields. */
    boolean keysResolved;

    @Option(names = {"--icmp-type", "--icmpv6-type"}, paramLabel = "TYPE", description = "ICMP/ICMPv6 type.")
    String icmpType;

    @Option(names = {"--icmp-code", "--icmpv6-code"}, paramLabel = "CODE", description = "ICMP/ICMPv6 code.")
    String icmpCode;

    @Option(names = {"--icmp-id", "--icmpv6-id"}, paramLabel = "ID", description = "ICMP/ICMPv6 identifier.")
    String icmpId;

    @Option(names = {"-f", "--family"}, paramLabel = "FAMILY", description = "ipv4, ipv6 or any (default).")
    String family;

    @Option(names = {"-m", "--mark"}, paramLabel = "MARK[/MASK]", description = "Connection mark, optionally masked.")
    String mark;

    @Option(names = "--secmark", paramLabel = "SECMARK", description = "Flows with this security mark"
            + " (CTA_SECMARK; Linux has not reported it since 2.6.37, so there nothing matches).")
    String secmark;

    @Option(names = {"-w", "--zone"}, paramLabel = "ZONE", description = "Conntrack zone (0..65535).")
    String zone;

    @Option(names = "--orig-zone", paramLabel = "ZONE", description = "Zone of the original direction (0..65535).")
    String origZone;

    @Option(names = "--reply-zone", paramLabel = "ZONE", description = "Zone of the reply direction (0..65535).")
    String replyZone;

    @Option(names = {"-l", "--label"}, paramLabel = "LABEL[,LABEL]", description = "Flows carrying every label: names"
            + " from connlabel.conf or bit numbers 0..127.")
    String label;

    @Option(names = "--connlabel", paramLabel = "FILE", description = "Label names (\"BIT NAME\" lines) from FILE instead"
            + " of /etc/xtables/connlabel.conf or /etc/connlabel.conf.")
    Path connlabel;

    /** The label names read, once; empty when no file exists. */
    private Optional<ConnLabelMap> labelNames;

    @Option(names = "--label-add", paramLabel = "LABEL[,LABEL]", description = "Labels to set (create, update).")
    String labelAdd;

    @Option(names = "--label-del", arity = "0..1", fallbackValue = "", paramLabel = "LABEL[,LABEL]",
            description = "Labels to clear (update); without a value, all of them.")
    String labelDel;

    @Option(names = {"-u", "--status"}, paramLabel = "BITS", description = "Status bits, comma separated: ASSURED,SEEN_REPLY,...")
    String status;

    @Option(names = "--state", paramLabel = "STATE", description = "TCP state (SYN_SENT, ESTABLISHED, ...), or with"
            + " -p sctp (COOKIE_WAIT, ESTABLISHED, ...) or -p dccp (REQUEST, OPEN, ...) that protocol's state.")
    String state;

    @Option(names = "--src-nat", arity = "0..1", fallbackValue = "", paramLabel = "ADDR[:PORT]",
            description = "Source-NATed flows (optionally: to ADDR, and PORT; IPv6 with a port as [ADDR]:PORT).")
    String srcNat;

    @Option(names = "--dst-nat", arity = "0..1", fallbackValue = "", paramLabel = "ADDR[:PORT]",
            description = "Destination-NATed flows (optionally: to ADDR, and PORT; IPv6 with a port as [ADDR]:PORT).")
    String dstNat;

    @Option(names = "--any-nat", arity = "0..1", fallbackValue = "", paramLabel = "ADDR[:PORT]",
            description = "Source- or destination-NATed flows.")
    String anyNat;

    /** A copy without the value-like options (mark, status, state), for commands that take them as new values. */
    CtOptions withoutValues() {
        CtOptions c = new CtOptions();
        c.src = src;
        c.dst = dst;
        c.replySrc = replySrc;
        c.replyDst = replyDst;
        c.proto = proto;
        c.sport = sport;
        c.dport = dport;
        c.replySport = replySport;
        c.replyDport = replyDport;
        c.srcKey = srcKey;
        c.dstKey = dstKey;
        c.replySrcKey = replySrcKey;
        c.replyDstKey = replyDstKey;
        c.icmpType = icmpType;
        c.icmpCode = icmpCode;
        c.icmpId = icmpId;
        c.family = family;
        c.zone = zone;
        c.origZone = origZone;
        c.replyZone = replyZone;
        c.label = label;
        c.connlabel = connlabel;
        c.secmark = secmark;
        c.srcNat = srcNat;
        c.dstNat = dstNat;
        c.anyNat = anyNat;
        return c;
    }

    /** Rejects any of {@code options} (long names) given on {@code cl}, naming the first. */
    static void forbid(CommandLine cl, String command, String... options) {
        for (String o : options) {
            if (cl.getParseResult().hasMatchedOption(o)) {
                throw new ParameterException(cl, o + " cannot be used with '" + command + "'");
            }
        }
    }

    /** Parses {@code text} with {@code parser}; a failure is a {@link ParameterException} naming option and text. */
    static <T> T parse(CommandLine cl, String option, String text, Function<String, T> parser) {
        try {
            return parser.apply(text);
        } catch (NumberFormatException e) {
            throw new ParameterException(cl, option + ": invalid value '" + text + "'");
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            throw new ParameterException(cl, option + ": " + (m != null && m.contains(text) ? m : "invalid value '" + text + "'"));
        }
    }

    /** Parses a port or GRE key 0..65535, or returns {@link TupleMatch#ANY_PORT} for null. */
    static int port(CommandLine cl, String option, String text) {
        return text == null ? TupleMatch.ANY_PORT : parse(cl, option, text,
                t -> bounded(t, 0xFFFF, option.contains("key") ? "key" : "port"));
    }

    private static int bounded(String text, int max, String what) {
        int v = Integer.decode(text);
        if (v < 0 || v > max) {
            throw new IllegalArgumentException("invalid " + what + " '" + text + "' (0.." + max + ")");
        }
        return v;
    }

    private static int u8(CommandLine cl, String option, String text) {
        return parse(cl, option, text, t -> bounded(t, 0xFF, "value"));
    }

    private static int u16(CommandLine cl, String option, String text) {
        return parse(cl, option, text, t -> bounded(t, 0xFFFF, "value"));
    }

    AddressFamily family(CommandLine cl) {
        return family == null ? AddressFamily.ANY : parse(cl, "--family", family, AddressFamily::parse);
    }

    L4Protocol protocol(CommandLine cl) {
        return proto == null ? null : parse(cl, "--proto", proto, L4Protocol::parse);
    }

    /** The zone, or -1 when not given. */
    int zone(CommandLine cl) {
        return zone == null ? -1 : u16(cl, "--zone", zone);
    }

    /** The zone of {@code --orig-zone} or {@code --reply-zone} ({@code text}), or -1 when not given. */
    private static int directionZone(CommandLine cl, String option, String text) {
        return text == null ? -1 : u16(cl, option, text);
    }

    /** Label names (from connlabel.conf) and bit numbers in {@code text}, or null when not given. */
    LabelSet labels(CommandLine cl, String option, String text) {
        if (text == null) {
            return null;
        }
        ConnLabelMap names;
        try {
            names = labelNames().orElse(ConnLabelMap.EMPTY);
        } catch (IOException e) {
            throw new ParameterException(cl, option + " '" + text + "': cannot read label names: " + e.getMessage());
        }
        return parse(cl, option, text, names::labels);
    }

    /**
     * The names of label bits: from {@code --connlabel FILE} (which must exist), else from the first
     * of libnetfilter_conntrack's files that exists; empty when there is none. Read once.
     */
    Optional<ConnLabelMap> labelNames() throws IOException {
        if (labelNames == null) {
            labelNames = connlabel != null ? Optional.of(ConnLabelMap.load(mustExist(connlabel)))
                    : ConnLabelMap.loadFirst(ConnLabelMap.DEFAULT_PATHS);
        }
        return labelNames;
    }

    private static Path mustExist(Path p) throws IOException {
        if (!Files.isRegularFile(p)) {
            throw new NoSuchFileException(p.toString(), null, "--connlabel: no such file");
        }
        return p;
    }

    /** True when the options name labels, which makes conntrack load its label names and print them. */
    boolean namesLabels() {
        return label != null || labelAdd != null || labelDel != null;
    }

    /** {value, mask} of {@code --mark}, or null. */
    int[] mark(CommandLine cl) {
        return mark == null ? null : parse(cl, "--mark", mark, CtCommand::markAndMask);
    }

    Status status(CommandLine cl) {
        return status == null ? null : parse(cl, "--status", status, Status::parse);
    }

    /** The {@code --state} of {@code -p}'s protocol (TCP when {@code -p} is not given), or null. */
    StateMatch state(CommandLine cl) {
        if (state == null) {
            return null;
        }
        L4Protocol p = protocol(cl);
        if (p != null && !StateMatch.hasStates(p)) {
            throw new ParameterException(cl, "--state '" + state + "' needs -p tcp, sctp or dccp, not -p " + proto);
        }
        return parse(cl, "--state", state, s -> StateMatch.parse(p == null ? L4Protocol.TCP : p, s));
    }

    private static AddressMatch network(CommandLine cl, String option, String text) {
        return text == null ? null : parse(cl, option, text, AddressMatch::parse);
    }

    private static IpAddress address(CommandLine cl, String option, String text) {
        return parse(cl, option, text, IpAddress::parse);
    }

    private void resolveKeys(CommandLine cl) {
        GreKeys.resolve(cl, this);
    }

    private String portOption(CommandLine cl, String portName, String keyName) {
        return GreKeys.option(protocol(cl), portName, keyName);
    }

    private static boolean hasPortsOrKeys(L4Protocol p) {
        return GreKeys.inPortFields(p);
    }

    /** The flows these options select. */
    FlowFilter filter(CommandLine cl) {
        resolveKeys(cl);
        FlowFilter f = FlowFilter.of(family(cl));
        L4Protocol p = protocol(cl);
        if (p != null) {
            f = f.withProtocol(p);
        }
        int[] m = mark(cl);
        if (m != null) {
            f = f.withMark(m[0], m[1]);
        }
        int z = zone(cl);
        if (z >= 0) {
            f = f.withZone(z);
        }
        Status s = status(cl);
        if (s != null) {
            f = f.withStatus(s.bits(), s.bits());
        }
        StateMatch st = state(cl);
        if (st != null) {
            f = f.withState(st);
        }
        f = f.withOriginal(new TupleMatch(network(cl, "--src", src), network(cl, "--dst", dst),
                port(cl, portOption(cl, "--sport", "--srckey"), sport), port(cl, portOption(cl, "--dport", "--dstkey"), dport),
                directionZone(cl, "--orig-zone", origZone)));
        f = f.withReply(new TupleMatch(network(cl, "--reply-src", replySrc), network(cl, "--reply-dst", replyDst),
                port(cl, portOption(cl, "--reply-port-src", "--reply-key-src"), replySport),
                port(cl, portOption(cl, "--reply-port-dst", "--reply-key-dst"), replyDport),
                directionZone(cl, "--reply-zone", replyZone)));
        LabelSet l = labels(cl, "--label", label);
        if (l != null) {
            f = f.withLabels(l);
        }
        if (secmark != null) {
            f = f.withSecmark(parse(cl, "--secmark", secmark, CtCommand::u32));
        }
        if (icmpType != null || icmpCode != null || icmpId != null) {
            throw new ParameterException(cl, "--icmp-type/--icmp-code/--icmp-id select one flow; use 'get' or 'delete' with -s, -d and -p");
        }
        if (labelAdd != null || labelDel != null) {
            throw new ParameterException(cl, "--label-add/--label-del change labels: use them with 'update' (or --label-add with 'create')");
        }
        return f.withNat(nat(cl));
    }

    private NatMatch nat(CommandLine cl) {
        if (anyNat != null) {
            NatAddress a = natAddress(cl, "--any-nat", anyNat);
            return new NatMatch(true, a, true, a, true);
        }
        return new NatMatch(srcNat != null, natAddress(cl, "--src-nat", srcNat), dstNat != null,
                natAddress(cl, "--dst-nat", dstNat), false);
    }

    /** {@code ADDR[:PORT]} (IPv6 with a port in brackets) of a NAT option; null when absent or empty. */
    private static NatAddress natAddress(CommandLine cl, String option, String text) {
        return text == null || text.isEmpty() ? null : parse(cl, option, text, NatAddress::parse);
    }

    /**
     * True when the options name one original tuple: protocol, host source and destination, and
     * the protocol's identifiers (ports, or ICMP type, code and id).
     */
    boolean namesOneTuple(CommandLine cl) {
        resolveKeys(cl);
        if (src == null || dst == null || proto == null || src.contains("/") || dst.contains("/")) {
            return false;
        }
        L4Protocol p = protocol(cl);
        if (hasPortsOrKeys(p)) {
            return sport != null && dport != null;
        }
        if (p.isIcmp()) {
            return icmpType != null && icmpCode != null && icmpId != null;
        }
        return true;
    }

    /** The original tuple; fails naming what is missing. */
    Tuple original(CommandLine cl, String command) {
        resolveKeys(cl);
        List<String> missing = new ArrayList<>();
        if (src == null) {
            missing.add("-s");
        }
        if (dst == null) {
            missing.add("-d");
        }
        if (proto == null) {
            missing.add("-p");
        }
        L4Protocol p = protocol(cl);
        if (p != null && hasPortsOrKeys(p)) {
            if (sport == null) {
                missing.add(portOption(cl, "--sport", "--srckey"));
            }
            if (dport == null) {
                missing.add(portOption(cl, "--dport", "--dstkey"));
            }
        } else if (p != null && p.isIcmp()) {
            if (icmpType == null) {
                missing.add("--icmp-type");
            }
            if (icmpCode == null) {
                missing.add("--icmp-code");
            }
            if (icmpId == null) {
                missing.add("--icmp-id");
            }
        }
        if (!missing.isEmpty()) {
            throw new ParameterException(cl, "'" + command + "' needs " + String.join(", ", missing));
        }
        IpAddress s = address(cl, "--src", src);
        IpAddress d = address(cl, "--dst", dst);
        if (s.v6() != d.v6()) {
            throw new ParameterException(cl, "--src '" + src + "' and --dst '" + dst + "' are of different families");
        }
        int z = origZone == null ? Tuple.NO_ZONE : directionZone(cl, "--orig-zone", origZone);
        if (hasPortsOrKeys(p)) {
            return Tuple.ports(p, s, port(cl, portOption(cl, "--sport", "--srckey"), sport), d,
                    port(cl, portOption(cl, "--dport", "--dstkey"), dport)).withZone(z);
        }
        if (p.isIcmp()) {
            return new Tuple(s, d, p, 0, 0, u16(cl, "--icmp-id", icmpId), u8(cl, "--icmp-type", icmpType),
                    u8(cl, "--icmp-code", icmpCode), z);
        }
        return Tuple.of(p, s, d).withZone(z);
    }

    /**
     * The reply tuple for a flow to create: null when no reply option is given (the kernel's default,
     * the inverse of {@code original}); otherwise the inverse with the given parts replaced.
     */
    Tuple reply(CommandLine cl, Tuple original) {
        resolveKeys(cl);
        if (replySrc == null && replyDst == null && replySport == null && replyDport == null && replyZone == null) {
            return null;
        }
        IpAddress s = replySrc == null ? original.destination() : address(cl, "--reply-src", replySrc);
        IpAddress d = replyDst == null ? original.source() : address(cl, "--reply-dst", replyDst);
        if (s.v6() != original.isIpv6() || d.v6() != original.isIpv6()) {
            throw new ParameterException(cl, "the reply addresses must be of the original tuple's family");
        }
        int sp = replySport == null ? original.destinationPort()
                : port(cl, portOption(cl, "--reply-port-src", "--reply-key-src"), replySport);
        int dp = replyDport == null ? original.sourcePort()
                : port(cl, portOption(cl, "--reply-port-dst", "--reply-key-dst"), replyDport);
        int type = original.icmpType();
        if (original.protocol().isIcmp()) {
            type = switch (type) {
                case 8 -> 0;
                case 13 -> 14;
                case 15 -> 16;
                case 17 -> 18;
                case 128 -> 129;
                case 139 -> 140;
                default -> type;
            };
        }
        int z = replyZone == null ? Tuple.NO_ZONE : directionZone(cl, "--reply-zone", replyZone);
        return new Tuple(s, d, original.protocol(), sp, dp, original.icmpId(), type, original.icmpCode(), z);
    }
}
