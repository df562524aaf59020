package dev.conntrace.packet;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A classic BPF program ({@code struct sock_filter[]} of {@code <linux/filter.h>}) for a live capture's
 * socket filter (SO_ATTACH_FILTER) or for filtering packets of a file here ({@link #accepts}): compiled
 * from a tcpdump expression by {@link FilterCompiler}, or read from the text {@code tcpdump -ddd} prints
 * (the instruction count on the first line, then one "code jt jf k" line, decimal, per instruction).
 *
 * <p>The kernel verifies the program when it is attached; the interpreter here treats anything invalid as
 * a rejection. Immutable and thread-safe. At most {@value #MAX_INSTRUCTIONS} instructions (BPF_MAXINSNS).
 */
public final class BpfProgram {
    /** BPF_MAXINSNS from {@code <linux/bpf_common.h>}. */
    public static final int MAX_INSTRUCTIONS = 4096; // BPF_MAXINSNS

    private final long[] instructions; // code << 48 | jt << 40 | jf << 32 | k

    private BpfProgram(long[] instructions) {
        this.instructions = instructions;
    }

    /**
     * A program from packed instructions, {@code code << 48 | jt << 40 | jf << 32 | (k & 0xFFFFFFFF)} each (as
     * {@link dev.conntrace.sys.Libpcap#compile} returns them).
     *
     * @throws IllegalArgumentException for an empty or too long program
     */
    public static BpfProgram of(long[] packed) {
        if (packed.length < 1 || packed.length > MAX_INSTRUCTIONS) {
            throw new IllegalArgumentException("BPF program of " + packed.length + " instructions, not in 1.." + MAX_INSTRUCTIONS);
        }
        return new BpfProgram(packed.clone());
    }

    /**
     * This program with every "return constant" that keeps more than {@code snaplen} bytes lowered to
     * {@code snaplen}, so the kernel copies at most that much of a packet it accepts.
     */
    public BpfProgram cappedAt(int snaplen) {
        long[] capped = instructions.clone();
        for (int i = 0; i < capped.length; i++) {
            long k = capped[i] & 0xFFFF_FFFFL;
            if (code(i) == BpfInterpreter.BPF_RET && k > snaplen) { // BPF_RET | BPF_K
                capped[i] = capped[i] & ~0xFFFF_FFFFL | snaplen;
            }
        }
        return new BpfProgram(capped);
    }

    /**
     * Runs the program over one packet as the kernel would: true when it keeps the packet (returns a
     * non-zero length). Loads outside the captured bytes reject the packet.
     *
     * @param data holds the packet's first byte (the link-layer header) at {@code offset}
     * @param captureLength bytes captured
     * @param originalLength bytes on the wire
     */
    public boolean accepts(MemorySegment data, long offset, int captureLength, int originalLength) {
        return BpfInterpreter.run(instructions, data, offset, captureLength, originalLength) != 0;
    }

    /**
     * Parses {@code tcpdump -ddd} output.
     *
     * @throws IllegalArgumentException naming the line when the text is not such a program
     */
    public static BpfProgram parse(String text) {
        String[] lines = text.strip().split("\\R");
        if (lines.length == 0 || lines[0].isBlank()) {
            throw new IllegalArgumentException("empty BPF program");
        }
        int count;
        try {
            count = Integer.parseInt(lines[0].strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("BPF program line 1: expected the instruction count, got '" + lines[0].strip() + "'");
        }
        if (count < 1 || count > MAX_INSTRUCTIONS) {
            throw new IllegalArgumentException("BPF program line 1: instruction count " + count + " not in 1.." + MAX_INSTRUCTIONS);
        }
        if (lines.length - 1 != count) {
            throw new IllegalArgumentException("BPF program: line 1 announces " + count + " instructions, found "
                    + (lines.length - 1));
        }
        long[] insns = new long[count];
        for (int i = 0; i < count; i++) {
            String[] f = lines[i + 1].strip().split("\\s+");
            if (f.length != 4) {
                throw new IllegalArgumentException("BPF program line " + (i + 2) + ": expected 'code jt jf k', got '"
                        + lines[i + 1].strip() + "'");
            }
            try {
                long code = field(f[0], 0xFFFF);
                long jt = field(f[1], 0xFF);
                long jf = field(f[2], 0xFF);
                long k = Long.parseLong(f[3]);
                if (k < Integer.MIN_VALUE || k > 0xFFFF_FFFFL) {
                    throw new NumberFormatException("k out of range");
                }
                insns[i] = code << 48 | jt << 40 | jf << 32 | (k & 0xFFFF_FFFFL);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("BPF program line " + (i + 2) + ": bad number in '" + lines[i + 1].strip() + "'");
            }
        }
        return new BpfProgram(insns);
    }

    private static long field(String s, int max) {
        long v = Long.parseLong(s);
        if (v < 0 || v > max) {
            throw new NumberFormatException(s);
        }
        return v;
    }

    /** The number of instructions. */
    public int length() {
        return instructions.length;
    }

    /** Instruction {@code i}'s opcode. */
    public int code(int i) {
        return (int) (instructions[i] >>> 48);
    }

    /** Instruction {@code i}'s jump-if-true offset. */
    public int jt(int i) {
        return (int) (instructions[i] >>> 40) & 0xFF;
    }

    /** Instruction {@code i}'s jump-if-false offset. */
    public int jf(int i) {
        return (int) (instructions[i] >>> 32) & 0xFF;
    }

    /** Instruction {@code i}'s constant. */
    public int k(int i) {
        return (int) instructions[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BpfProgram p && Arrays.equals(instructions, p.instructions);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(instructions);
    }

    /** The program in {@code tcpdump -ddd} form. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder().append(length()).append('\n');
        for (int i = 0; i < length(); i++) {
            b.append(code(i)).append(' ').append(jt(i)).append(' ').append(jf(i)).append(' ')
                    .append(Integer.toUnsignedLong(k(i))).append('\n');
        }
        return b.toString();
    }
}
