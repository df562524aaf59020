package dev.conntrace.sockets.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * User names from a passwd(5) file, cached and reloaded when the file's modification time
 * changes. At most {@link #MAX_USERS} entries are kept; extra lines are ignored. Thread-safe.
 */
public final class UserNames {
    /** Cap on cached users. */
    public static final int MAX_USERS = 65_536;

    private final Path passwd;
    private Map<Integer, String> names = Map.of();
    private FileTime loadedAt;

    /** Names from {@code passwd} (normally {@code /etc/passwd}). */
    public UserNames(Path passwd) {
        this.passwd = passwd;
    }

    /** The name of {@code uid}, or its decimal text when unknown or the file is unreadable. */
    public synchronized String nameOf(int uid) {
        reloadIfChanged();
        String n = names.get(uid);
        return n != null ? n : Integer.toUnsignedString(uid);
    }

    private void reloadIfChanged() {
        try {
            FileTime t = Files.getLastModifiedTime(passwd);
            if (t.equals(loadedAt)) {
                return;
            }
            List<String> lines = Files.readAllLines(passwd, StandardCharsets.UTF_8);
            Map<Integer, String> m = new HashMap<>();
            for (String line : lines) {
                if (m.size() >= MAX_USERS) {
                    break;
                }
                String[] f = line.split(":", 4);
                if (f.length < 3 || f[0].isEmpty()) {
                    continue;
                }
                try {
                    m.putIfAbsent(Integer.parseUnsignedInt(f[2]), f[0]);
                } catch (NumberFormatException bad) {
                    // not a passwd line; skip it
                }
            }
            names = m;
            loadedAt = t;
        } catch (IOException unreadable) {
            names = Map.of();
            loadedAt = null;
        }
    }
}
