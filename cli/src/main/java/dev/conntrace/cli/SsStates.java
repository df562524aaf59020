package dev.conntrace.cli;

import dev.conntrace.sockets.SocketState;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Socket state names as {@code ss state ...} spells them (and the kernel's, with _ or -). */
final class SsStates {
    private SsStates() {}

    /** The states named; an unknown name raises IllegalArgumentException naming it. */
    static Set<SocketState> parse(List<String> names) {
        Set<SocketState> out = new HashSet<>();
        for (String n : names) {
            for (String one : n.split(",")) {
                out.add(parse(one));
            }
        }
        return out;
    }

    private static SocketState parse(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "established" -> SocketState.ESTABLISHED;
            case "syn-sent" -> SocketState.SYN_SENT;
            case "syn-recv" -> SocketState.SYN_RECV;
            case "fin-wait-1", "fin-wait1" -> SocketState.FIN_WAIT1;
            case "fin-wait-2", "fin-wait2" -> SocketState.FIN_WAIT2;
            case "time-wait" -> SocketState.TIME_WAIT;
            case "closed", "close", "unconn" -> SocketState.CLOSE;
            case "close-wait" -> SocketState.CLOSE_WAIT;
            case "last-ack" -> SocketState.LAST_ACK;
            case "listening", "listen" -> SocketState.LISTEN;
            case "closing" -> SocketState.CLOSING;
            case "new-syn-recv" -> SocketState.NEW_SYN_RECV;
            default -> throw new IllegalArgumentException("unknown socket state '" + name + "' (ss names: established,"
                    + " syn-sent, syn-recv, fin-wait-1, fin-wait-2, time-wait, closed, close-wait, last-ack,"
                    + " listening, closing)");
        };
    }
}
