package dev.conntrace.cli;

import dev.conntrace.conntrack.DccpState;
import dev.conntrace.conntrack.L4Protocol;
import dev.conntrace.conntrack.ProtoInfo;
import dev.conntrace.conntrack.SctpState;
import dev.conntrace.conntrack.StateMatch;
import dev.conntrace.conntrack.TcpState;
import dev.conntrace.conntrack.wire.ConntrackProto;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * What {@code create} and {@code update} send beside a new {@code --state}, as conntrack-tools' SCTP
 * and DCCP options spell it: the kernel takes an SCTP state only with both verification tags, a
 * DCCP state only with the role ({@code nlattr_to_sctp}, {@code nlattr_to_dccp}).
 */
final class CtStateOptions {
    @Option(names = "--orig-vtag", paramLabel = "TAG", description = "SCTP verification tag of the original direction"
            + " (create: default 0; update: kept).")
    String origVtag;

    @Option(names = "--reply-vtag", paramLabel = "TAG", description = "SCTP verification tag of the reply direction"
            + " (create: default 0; update: kept).")
    String replyVtag;

    @Option(names = "--role", paramLabel = "client|server", description = "DCCP role of the original direction"
            + " (create with -p dccp --state: required; update: kept).")
    String role;

    /**
     * The protocol info that puts a flow into {@code state}, taking what the kernel needs beside it
     * from these options, else from {@code current} (the flow's present info, null for a new flow).
     */
    ProtoInfo protoInfo(CommandLine cl, String command, StateMatch state, ProtoInfo current) {
        L4Protocol p = state.protocol();
        if (!p.equals(L4Protocol.SCTP) && (origVtag != null || replyVtag != null)) {
            throw new ParameterException(cl, "--orig-vtag/--reply-vtag need -p sctp with --state");
        }
        if (!p.equals(L4Protocol.DCCP) && role != null) {
            throw new ParameterException(cl, "--role '" + role + "' needs -p dccp with --state");
        }
        if (p.equals(L4Protocol.TCP)) {
            return ProtoInfo.Tcp.of(TcpState.of(state.code()));
        }
        if (p.equals(L4Protocol.SCTP)) {
            ProtoInfo.Sctp now = current instanceof ProtoInfo.Sctp s ? s : null;
            int o = origVtag != null ? CtOptions.parse(cl, "--orig-vtag", origVtag, CtCommand::u32)
                    : now != null ? now.vtagOriginal() : 0;
            int r = replyVtag != null ? CtOptions.parse(cl, "--reply-vtag", replyVtag, CtCommand::u32)
                    : now != null ? now.vtagReply() : 0;
            return new ProtoInfo.Sctp(SctpState.of(state.code()), o, r);
        }
        ProtoInfo.Dccp now = current instanceof ProtoInfo.Dccp d ? d : null;
        int r;
        if (role != null) {
            r = switch (role.toLowerCase(java.util.Locale.ROOT)) {
                case "client" -> ConntrackProto.CT_DCCP_ROLE_CLIENT;
                case "server" -> ConntrackProto.CT_DCCP_ROLE_SERVER;
                default -> throw new ParameterException(cl, "--role: invalid value '" + role + "' (client or server)");
            };
        } else if (now != null && now.role() != ProtoInfo.ABSENT) {
            r = now.role();
        } else {
            throw new ParameterException(cl, "'" + command + "' with -p dccp --state needs --role client|server");
        }
        return new ProtoInfo.Dccp(DccpState.of(state.code()), r, -1);
    }

    /** Rejects these options when no {@code --state} goes with them. */
    void requireState(CommandLine cl, StateMatch state) {
        if (state == null && (origVtag != null || replyVtag != null || role != null)) {
            throw new ParameterException(cl, "--orig-vtag, --reply-vtag and --role go with --state");
        }
    }
}
