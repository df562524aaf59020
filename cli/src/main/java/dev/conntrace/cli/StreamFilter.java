package dev.conntrace.cli;

import dev.conntrace.reassembly.TcpSegment;
import dev.conntrace.sys.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The small filter language of {@code conntrace streams --filter}: terms {@code tcp}, {@code host ADDR}
 * and {@code port N} (either endpoint), joined by {@code and}. Anything else is rejected.
 */
final class StreamFilter {
    private final List<IpAddress> hosts;
    private final List<Integer> ports;

    private StreamFilter(List<IpAddress> hosts, List<Integer> ports) {
        this.hosts = hosts;
        this.ports = ports;
    }

    /** Parses {@code expr}; throws {@link IllegalArgumentException} with a message naming what is wrong. */
    static StreamFilter parse(String expr) {
        List<IpAddress> hosts = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        String[] words = expr.trim().split("\\s+");
        if (words.length == 0 || words[0].isEmpty()) {
            throw new IllegalArgumentException("empty filter");
        }
        int i = 0;
        while (true) {
            String w = words[i].toLowerCase(Locale.ROOT);
            switch (w) {
                case "tcp" -> i++;
                case "host" -> {
                    String a = arg(words, i, "host");
                    try {
                        hosts.add(IpAddress.parse(a));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("filter: 'host' needs an IP address, got '" + a + "'");
                    }
                    i += 2;
                }
                case "port" -> {
                    String a = arg(words, i, "port");
                    int p;
                    try {
                        p = Integer.parseInt(a);
                    } catch (NumberFormatException e) {
                        p = -1;
                    }
                    if (p < 0 || p > 65535) {
                        throw new IllegalArgumentException("filter: 'port' needs a number 0-65535, got '" + a + "'");
                    }
                    ports.add(p);
                    i += 2;
                }
                default -> throw new IllegalArgumentException("filter: unsupported term '" + words[i]
                        + "' (supported: tcp, host ADDR, port N, joined by 'and')");
            }
            if (i == words.length) {
                return new StreamFilter(List.copyOf(hosts), List.copyOf(ports));
            }
            if (!words[i].equalsIgnoreCase("and") || i + 1 == words.length) {
                throw new IllegalArgumentException("filter: expected 'and' and another term after '" + words[i - 1]
                        + "', got '" + words[i] + "' (only 'and' is supported)");
            }
            i++;
        }
    }

    private static String arg(String[] words, int i, String term) {
        if (i + 1 >= words.length) {
            throw new IllegalArgumentException("filter: '" + term + "' needs a value");
        }
        return words[i + 1];
    }

    /** True when the segment matches every term. */
    boolean matches(TcpSegment s) {
        for (IpAddress h : hosts) {
            if (!h.equals(s.src()) && !h.equals(s.dst())) {
                return false;
            }
        }
        for (int p : ports) {
            if (s.srcPort() != p && s.dstPort() != p) {
                return false;
            }
        }
        return true;
    }

    boolean matchesAll() {
        return hosts.isEmpty() && ports.isEmpty();
    }
}
