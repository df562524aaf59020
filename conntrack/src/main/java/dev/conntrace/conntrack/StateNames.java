package dev.conntrace.conntrack;

/**
 * The names of a protocol's conntrack states, shared by {@link TcpState}, {@link SctpState} and
 * {@link DccpState}: 8-bit kernel codes, those past the table shown as {@code unknown(n)}.
 */
final class StateNames {
    private final String protocol;
    private final String[] names;

    StateNames(String protocol, String... names) {
        this.protocol = protocol;
        this.names = names.clone();
    }

    /** Throws unless {@code code} fits the kernel's 8-bit state field. */
    void check(int code) {
        if (code < 0 || code > 255) {
            throw new IllegalArgumentException(protocol + " conntrack state " + code + " is outside 0..255");
        }
    }

    /** The code whose name is {@code text} (any case); throws naming the text. */
    int parse(String text) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equalsIgnoreCase(text)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown " + protocol + " state: '" + text + "'");
    }

    boolean isKnown(int code) {
        return code < names.length;
    }

    /** The name of {@code code}, or {@code unknown(n)}. */
    String name(int code) {
        return isKnown(code) ? names[code] : "unknown(" + code + ")";
    }
}
