package dev.conntrace.conntrack;

import dev.conntrace.sys.IpAddress;
import java.util.Objects;

/**
 * The address, and optionally the port, a flow is NATed to, as {@code conntrack --src-nat},
 * {@code --dst-nat} and {@code --any-nat} spell it: {@code 10.0.0.1}, {@code 10.0.0.1:80},
 * {@code 2001:db8::1} or {@code [2001:db8::1]:80}.
 *
 * @param address the address
 * @param port the port 0..65535, or {@link #ANY_PORT}
 */
public record NatAddress(IpAddress address, int port) {

    /** No port given. */
    public static final int ANY_PORT = -1;

    public NatAddress {
        Objects.requireNonNull(address, "address");
        if (port < ANY_PORT || port > 0xFFFF) {
            throw new IllegalArgumentException("port " + port + " is outside 0..65535");
        }
    }

    /** True when a port is given. */
    public boolean hasPort() {
        return port != ANY_PORT;
    }

    /**
     * Parses {@code ADDR}, {@code IPV4:PORT} or {@code [IPV6]:PORT} (an IPv6 address with a port goes
     * in brackets; without brackets, text with more than one colon is an IPv6 address).
     *
     * @throws IllegalArgumentException naming {@code text} and what is wrong with it
     */
    public static NatAddress parse(String text) {
        String host;
        String port = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("no closing ']' around the IPv6 address in '" + text + "'");
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("expected ':PORT' after ']' in '" + text + "'");
                }
                port = rest.substring(1);
            }
            if (!IpAddress.parse(checked(host, text)).v6()) {
                throw new IllegalArgumentException("brackets hold an IPv6 address, not '" + host + "' in '" + text + "'");
            }
        } else {
            int colon = text.indexOf(':');
            if (colon >= 0 && text.indexOf(':', colon + 1) < 0) {
                host = text.substring(0, colon);
                port = text.substring(colon + 1);
            } else {
                host = text;
            }
        }
        IpAddress a;
        try {
            a = IpAddress.parse(checked(host, text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid address '" + host + "' in '" + text + "'");
        }
        return new NatAddress(a, port == null ? ANY_PORT : port(port, text));
    }

    private static String checked(String host, String text) {
        if (host.isEmpty()) {
            throw new IllegalArgumentException("no address in '" + text + "'");
        }
        return host;
    }

    private static int port(String p, String text) {
        if (p.isEmpty() || p.length() > 5 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(p) > 0xFFFF) {
            throw new IllegalArgumentException("invalid port '" + p + "' in '" + text + "' (0..65535)");
        }
        return Integer.parseInt(p);
    }

    @Override
    public String toString() {
        if (!hasPort()) {
            return address.toString();
        }
        return (address.v6() ? "[" + address + "]" : address.toString()) + ":" + port;
    }
}
