package dev.conntrace.packet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Finds the shared public captures beside the repository and reads their MANIFEST.md. */
final class SharedPcaps {
    private SharedPcaps() {}

    /** The shared captures directory, or null if it cannot be found. */
    static Path dir() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("shared").resolve("pcaps");
            if (Files.isRegularFile(candidate.resolve("MANIFEST.md"))) {
                return candidate;
            }
        }
        return null;
    }

    static Path file(String name) {
        Path dir = dir();
        org.junit.jupiter.api.Assumptions.assumeTrue(dir != null, "shared captures not found");
        return dir.resolve(name);
    }

    static List<Path> all() {
        Path dir = dir();
        if (dir == null) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".pcap") || n.endsWith(".pcapng") || n.endsWith(".cap");
            }).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** File name to the manifest's "pkts" column (a number, or "?"). */
    static Map<String, String> manifestPackets() {
        Map<String, String> m = new LinkedHashMap<>();
        Path dir = dir();
        if (dir == null) {
            return m;
        }
        Pattern row = Pattern.compile("^\\| `([^`]+)` \\|([^|]*\\|){4}([^|]*)\\|([^|]*)\\|");
        try {
            for (String line : Files.readAllLines(dir.resolve("MANIFEST.md"))) {
                Matcher mt = row.matcher(line);
                if (mt.find()) {
                    m.put(mt.group(1), mt.group(3).trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }
}
