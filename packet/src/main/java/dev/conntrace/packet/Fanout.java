package dev.conntrace.packet;

import java.util.Locale;
import java.util.Objects;

/**
 * A PACKET_FANOUT group for a {@link LiveCapture} to join ({@code <linux/if_packet.h>}, packet(7)): the
 * sockets of one group on one interface share its packets, each packet going to one member chosen by
 * {@link #mode()}. The kernel keeps one mode and one set of flags per group: a socket asking for another is
 * refused (EINVAL).
 *
 * @param group the group id, 0..65535 (per network namespace)
 * @param mode how the kernel picks the member of each packet
 * @param defrag whether the kernel puts IP fragments back together before picking (PACKET_FANOUT_FLAG_DEFRAG),
 *     so that all fragments of a datagram reach one member
 */
public record Fanout(int group, Mode mode, boolean defrag) {
    static final int PACKET_FANOUT_FLAG_DEFRAG = 0x8000; // PACKET_FANOUT_FLAG_DEFRAG

    /** How the kernel spreads a group's packets over its members. */
    public enum Mode {
        /** By a symmetric hash of the flow: both directions of a flow go to one member. */
        HASH(0, "hash"), // PACKET_FANOUT_HASH
        /** Round robin. */
        LB(1, "lb"), // PACKET_FANOUT_LB
        /** By the CPU that received the packet. */
        CPU(2, "cpu"), // PACKET_FANOUT_CPU
        /** All to one member until its ring is full, then to the next. */
        ROLLOVER(3, "rollover"), // PACKET_FANOUT_ROLLOVER
        /** At random. */
        RANDOM(4, "random"), // PACKET_FANOUT_RND
        /** By the receive queue the packet was recorded on. */
        QM(5, "qm"); // PACKET_FANOUT_QM

        private final int code;
        private final String label;

        Mode(int code, String label) {
            this.code = code;
            this.label = label;
        }

        /** The PACKET_FANOUT_* type number. */
        public int code() {
            return code;
        }

        /** The name {@link Fanout#parse} takes ("hash", "lb", ...). */
        public String label() {
            return label;
        }
    }

    public Fanout {
        Objects.requireNonNull(mode, "mode");
        if (group < 0 || group > 0xFFFF) {
            throw new IllegalArgumentException("fanout group " + group + " not in 0..65535");
        }
    }

    /** Group {@code group} in hash mode without defragmentation. */
    public static Fanout hash(int group) {
        return new Fanout(group, Mode.HASH, false);
    }

    /** The PACKET_FANOUT socket option's value: the group id in the low 16 bits, type and flags above. */
    int socketOption() {
        return group | (mode.code | (defrag ? PACKET_FANOUT_FLAG_DEFRAG : 0)) << 16;
    }

    /**
     * Parses {@code ID[:MODE[,defrag]]}, e.g. {@code 7}, {@code 7:lb}, {@code 7:hash,defrag}; MODE defaults to
     * hash.
     *
     * @throws IllegalArgumentException naming the bad id, mode or flag
     */
    public static Fanout parse(String spec) {
        int colon = spec.indexOf(':');
        String id = colon < 0 ? spec : spec.substring(0, colon);
        int group;
        try {
            group = id.isEmpty() || !id.chars().allMatch(c -> c >= '0' && c <= '9') ? -1 : Integer.parseInt(id);
        } catch (NumberFormatException e) {
            group = -1; // too many digits
        }
        if (group < 0 || group > 0xFFFF) {
            throw new IllegalArgumentException("fanout group '" + id + "' is not a number in 0..65535");
        }
        if (colon < 0) {
            return hash(group);
        }
        String[] parts = spec.substring(colon + 1).split(",", -1);
        Mode mode = null;
        for (Mode m : Mode.values()) {
            if (m.label.equals(parts[0].toLowerCase(Locale.ROOT))) {
                mode = m;
            }
        }
        if (mode == null) {
            throw new IllegalArgumentException("unknown fanout mode '" + parts[0] + "' (hash, lb, cpu, rollover, random, qm)");
        }
        boolean defrag = false;
        for (int i = 1; i < parts.length; i++) {
            if (!parts[i].equalsIgnoreCase("defrag")) {
                throw new IllegalArgumentException("unknown fanout flag '" + parts[i] + "' (defrag)");
            }
            defrag = true;
        }
        return new Fanout(group, mode, defrag);
    }

    /** {@code ID:MODE[,defrag]}, as {@link #parse} reads it. */
    @Override
    public String toString() {
        return group + ":" + mode.label + (defrag ? ",defrag" : "");
    }
}
