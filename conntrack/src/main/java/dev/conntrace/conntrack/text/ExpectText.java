package dev.conntrace.conntrack.text;

import dev.conntrace.conntrack.EventType;
import dev.conntrace.conntrack.Expect;
import dev.conntrace.conntrack.Tuple;
import dev.conntrace.conntrack.wire.ConntrackCommon;

/**
 * The line {@code conntrack -L expect} prints for an expectation (libnetfilter_conntrack's default
 * expectation format): timeout, {@code proto=}, the expected tuple, {@code mask-src=}/{@code mask-dst=}
 * and the mask's ports, {@code master-src=}/{@code master-dst=} and the master's ports, {@code zone=},
 * flags ({@code PERMANENT,INACTIVE,USERSPACE}), {@code class=}, {@code helper=}. Pure functions; thread-safe.
 */
public final class ExpectText {
    private ExpectText() {}

    /** The line for a listed expectation. */
    public static String format(Expect e) {
        StringBuilder sb = new StringBuilder(200);
        append(sb, e, null);
        return sb.toString();
    }

    /** Appends the line for {@code e} (no newline); {@code event} may be null. */
    public static void append(StringBuilder sb, Expect e, EventType event) {
        int start = sb.length();
        if (event != null) {
            sb.append(ConntrackText.eventTag(event));
        }
        Tuple t = e.tuple();
        sb.append(e.timeout() < 0 ? 0 : e.timeout()).append(" proto=").append(t.protocol().number()).append(' ');
        tuple(sb, t, "src", "dst");
        if (e.mask() != null) {
            tuple(sb, e.mask(), "mask-src", "mask-dst");
        }
        if (e.master() != null) {
            tuple(sb, e.master(), "master-src", "master-dst");
        }
        if (e.zone() >= 0) {
            sb.append("zone=").append(e.zone()).append(' ');
        }
        String delim = "";
        int flagsStart = sb.length();
        if ((e.flags() & ConntrackCommon.NF_CT_EXPECT_PERMANENT) != 0) {
            sb.append("PERMANENT");
            delim = ",";
        }
        if ((e.flags() & ConntrackCommon.NF_CT_EXPECT_INACTIVE) != 0) {
            sb.append(delim).append("INACTIVE");
            delim = ",";
        }
        if ((e.flags() & ConntrackCommon.NF_CT_EXPECT_USERSPACE) != 0) {
            sb.append(delim).append("USERSPACE");
        }
        if (sb.length() > flagsStart) {
            sb.append(' ');
        }
        if (e.expectClass() >= 0) {
            sb.append("class=").append(e.expectClass()).append(' ');
        }
        if (e.helper() != null) {
            sb.append("helper=").append(e.helper());
        }
        if (sb.length() > start && sb.charAt(sb.length() - 1) == ' ') {
            sb.setLength(sb.length() - 1);
        }
    }

    private static void tuple(StringBuilder sb, Tuple t, String srcTag, String dstTag) {
        sb.append(srcTag).append('=').append(t.source()).append(' ').append(dstTag).append('=')
                .append(t.destination()).append(' ');
        ConntrackText.appendL4(sb, t);
    }
}
