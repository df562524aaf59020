package dev.conntrace.conntrack;

/**
 * A set of connection label bits, 0..{@value #MAX_BIT} (the kernel's {@code NF_CT_LABELS_MAX_SIZE},
 * 16 bytes), as {@code conntrack -l/--label-add/--label-del} take them. Immutable.
 *
 * @param low bits 0..63
 * @param high bits 64..127
 */
public record LabelSet(long low, long high) {

    /** The highest label bit the kernel keeps. */
    public static final int MAX_BIT = 127;

    /** Bytes of the kernel's label bitmap ({@code CTA_LABELS}, {@code CTA_LABELS_MASK}). */
    public static final int BYTES = (MAX_BIT + 1) / 8;

    /** No label. */
    public static final LabelSet NONE = new LabelSet(0, 0);

    /** The set of {@code bits}; throws naming a bit outside 0..127. */
    public static LabelSet of(int... bits) {
        LabelSet s = NONE;
        for (int b : bits) {
            s = s.with(b);
        }
        return s;
    }

    /** This set plus {@code bit}. */
    public LabelSet with(int bit) {
        if (bit < 0 || bit > MAX_BIT) {
            throw new IllegalArgumentException("label bit " + bit + " is outside 0.." + MAX_BIT);
        }
        return bit < 64 ? new LabelSet(low | 1L << bit, high) : new LabelSet(low, high | 1L << (bit - 64));
    }

    /** True when {@code bit} is in the set. */
    public boolean has(int bit) {
        return bit >= 0 && bit <= MAX_BIT && ((bit < 64 ? low >>> bit : high >>> (bit - 64)) & 1) != 0;
    }

    /** True when no bit is set. */
    public boolean isEmpty() {
        return low == 0 && high == 0;
    }

    /** True when {@code flow} carries every label of this set (an empty set matches every flow). */
    public boolean isSetOn(Flow flow) {
        for (int bit = 0; bit <= MAX_BIT; bit++) {
            if (has(bit) && !flow.hasLabel(bit)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The kernel's bitmap of this set, {@link #BYTES} long: bit n in byte n/8 at position n%8, as
     * {@link Flow#hasLabel(int)} reads it (the kernel copies its words raw; this is their
     * little-endian layout).
     */
    public byte[] toBitmap() {
        byte[] out = new byte[BYTES];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (low >>> (8 * i));
            out[8 + i] = (byte) (high >>> (8 * i));
        }
        return out;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int bit = 0; bit <= MAX_BIT; bit++) {
            if (has(bit)) {
                sb.append(sb.length() > 1 ? "," : "").append(bit);
            }
        }
        return sb.append('}').toString();
    }
}
