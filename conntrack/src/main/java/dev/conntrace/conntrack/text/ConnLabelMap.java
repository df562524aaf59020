package dev.conntrace.conntrack.text;

import dev.conntrace.conntrack.Flow;
import dev.conntrace.conntrack.LabelSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Names of connection label bits, as {@code connlabel.conf} gives them (one "{@code BIT NAME}" per
 * line, {@code #} starts a comment) and libnetfilter_conntrack reads them. Immutable; thread-safe.
 * At most {@link LabelSet#MAX_BIT} + 1 names.
 */
public final class ConnLabelMap {
    /** Where libnetfilter_conntrack looks, in order. */
    public static final List<Path> DEFAULT_PATHS = List.of(Path.of("/etc/xtables/connlabel.conf"),
            Path.of("/etc/connlabel.conf"));

    /** A map without names. */
    public static final ConnLabelMap EMPTY = new ConnLabelMap(new String[0]);

    private final String[] names;

    private ConnLabelMap(String[] names) {
        this.names = names;
    }

    /**
     * Parses {@code connlabel.conf} text. Lines whose first word is not a bit number 0..127 are
     * ignored, as libnetfilter_conntrack ignores them; a later line for a bit wins.
     */
    public static ConnLabelMap parse(String text) {
        String[] out = new String[LabelSet.MAX_BIT + 1];
        int max = -1;
        for (String raw : text.split("\n", -1)) {
            int hash = raw.indexOf('#');
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            int space = indexOfBlank(line);
            if (space <= 0) {
                continue;
            }
            int bit;
            try {
                bit = Integer.parseInt(line.substring(0, space));
            } catch (NumberFormatException e) {
                continue;
            }
            String name = line.substring(space).strip();
            if (bit < 0 || bit > LabelSet.MAX_BIT || name.isEmpty()) {
                continue;
            }
            out[bit] = name;
            max = Math.max(max, bit);
        }
        return new ConnLabelMap(Arrays.copyOf(out, max + 1));
    }

    private static int indexOfBlank(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** The names in {@code file}; {@link #EMPTY} when it does not exist. */
    public static ConnLabelMap load(Path file) throws IOException {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return EMPTY;
        }
    }

    /** The names in the first of {@link #DEFAULT_PATHS} that exists, else {@link #EMPTY}. */
    public static ConnLabelMap loadDefault() throws IOException {
        return loadFirst(DEFAULT_PATHS).orElse(EMPTY);
    }

    /**
     * The names in the first of {@code files} that exists (pass {@link #DEFAULT_PATHS} for where
     * libnetfilter_conntrack looks); empty when none does, as libnetfilter_conntrack then has no map
     * and prints no {@code labels=}.
     */
    public static Optional<ConnLabelMap> loadFirst(List<Path> files) throws IOException {
        for (Path p : files) {
            if (Files.isRegularFile(p)) {
                return Optional.of(load(p));
            }
        }
        return Optional.empty();
    }

    /** The bit named {@code name}, or -1. */
    public int bit(String name) {
        for (int i = 0; i < names.length; i++) {
            if (name.equals(names[i])) {
                return i;
            }
        }
        return -1;
    }

    /** The name of {@code bit}, or null. */
    public String name(int bit) {
        return bit >= 0 && bit < names.length ? names[bit] : null;
    }

    /**
     * The labels {@code flow} carries, in bit order: each bit's name, or its number where it has none
     * (for people and JSON; conntrack's own text leaves unnamed bits out, see {@link ConntrackText}).
     */
    public List<String> describe(Flow flow) {
        List<String> out = new ArrayList<>();
        int n = flow.labelBits();
        for (int bit = 0; bit < n; bit++) {
            if (flow.hasLabel(bit)) {
                String name = name(bit);
                out.add(name != null ? name : Integer.toString(bit));
            }
        }
        return out;
    }

    /** Names by bit (null where a bit has none), as {@link ConntrackText.Options#labelNames()} takes them. */
    public List<String> names() {
        return new ArrayList<>(Arrays.asList(names));
    }

    /**
     * Parses a comma-separated list of label names and bit numbers ({@code "bad,7,ssh"}).
     *
     * @throws IllegalArgumentException naming a name this map does not have or a bit outside 0..127
     */
    public LabelSet labels(String text) {
        LabelSet s = LabelSet.NONE;
        for (String part : text.split(",", -1)) {
            String p = part.strip();
            int bit = bit(p);
            if (bit < 0 && !p.isEmpty() && p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                try {
                    bit = Integer.parseInt(p);
                } catch (NumberFormatException e) {
                    bit = Integer.MAX_VALUE;
                }
                if (bit > LabelSet.MAX_BIT) {
                    throw new IllegalArgumentException("label bit '" + p + "' is outside 0.." + LabelSet.MAX_BIT);
                }
            }
            if (bit < 0) {
                throw new IllegalArgumentException("unknown label '" + p + "'" + (names.length == 0
                        ? " (no names in " + DEFAULT_PATHS.getFirst() + "; give a bit number 0.." + LabelSet.MAX_BIT + ")"
                        : ""));
            }
            s = s.with(bit);
        }
        return s;
    }

    @Override
    public String toString() {
        return "ConnLabelMap" + Arrays.toString(names);
    }
}
