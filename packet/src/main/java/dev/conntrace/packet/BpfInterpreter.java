package dev.conntrace.packet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Runs a classic BPF program ({@code <linux/filter.h>}, {@code <linux/bpf_common.h>}) over one packet's bytes,
 * as the kernel's socket filter and libpcap's {@code bpf_filter()} do: loads are big-endian, a load outside
 * the captured bytes, a Linux ancillary load ({@code SKF_AD_OFF}), a division by zero, a scratch index out of
 * range or a jump past the end ends the program with 0 (reject). Jumps go forward only, so a run takes at
 * most as many steps as the program has instructions. Stateless; allocates nothing unless the program uses
 * the scratch memory (then 16 ints per run).
 */
final class BpfInterpreter {
    static final int BPF_LD = 0x00; // BPF_LD
    static final int BPF_LDX = 0x01; // BPF_LDX
    static final int BPF_ST = 0x02; // BPF_ST
    static final int BPF_STX = 0x03; // BPF_STX
    static final int BPF_ALU = 0x04; // BPF_ALU
    static final int BPF_JMP = 0x05; // BPF_JMP
    static final int BPF_RET = 0x06; // BPF_RET
    static final int BPF_MISC = 0x07; // BPF_MISC
    static final int BPF_W = 0x00; // BPF_W
    static final int BPF_H = 0x08; // BPF_H
    static final int BPF_B = 0x10; // BPF_B
    static final int BPF_IMM = 0x00; // BPF_IMM
    static final int BPF_ABS = 0x20; // BPF_ABS
    static final int BPF_IND = 0x40; // BPF_IND
    static final int BPF_MEM = 0x60; // BPF_MEM
    static final int BPF_LEN = 0x80; // BPF_LEN
    static final int BPF_MSH = 0xa0; // BPF_MSH
    static final int BPF_ADD = 0x00; // BPF_ADD
    static final int BPF_SUB = 0x10; // BPF_SUB
    static final int BPF_MUL = 0x20; // BPF_MUL
    static final int BPF_DIV = 0x30; // BPF_DIV
    static final int BPF_OR = 0x40; // BPF_OR
    static final int BPF_AND = 0x50; // BPF_AND
    static final int BPF_LSH = 0x60; // BPF_LSH
    static final int BPF_RSH = 0x70; // BPF_RSH
    static final int BPF_NEG = 0x80; // BPF_NEG
    static final int BPF_MOD = 0x90; // BPF_MOD
    static final int BPF_XOR = 0xa0; // BPF_XOR
    static final int BPF_JA = 0x00; // BPF_JA
    static final int BPF_JEQ = 0x10; // BPF_JEQ
    static final int BPF_JGT = 0x20; // BPF_JGT
    static final int BPF_JGE = 0x30; // BPF_JGE
    static final int BPF_JSET = 0x40; // BPF_JSET
    static final int BPF_X = 0x08; // BPF_X
    static final int BPF_A = 0x10; // BPF_A (return source)
    static final int BPF_TXA = 0x80; // BPF_TXA
    static final int BPF_MEMWORDS = 16; // BPF_MEMWORDS

    private static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort SHORT_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private BpfInterpreter() {}

    /**
     * The program's verdict on a packet: the number of bytes to keep (0 rejects), unsigned.
     *
     * @param data holds the packet's captured bytes at {@code offset}
     * @param capLen captured bytes (loads stay inside them)
     * @param wireLen the packet's length on the wire ({@code BPF_LEN})
     */
    static long run(long[] insns, MemorySegment data, long offset, int capLen, int wireLen) {
        int a = 0;
        int x = 0;
        int[] mem = null; // scratch memory M[]: allocated only if the program uses it
        long len = Integer.toUnsignedLong(capLen);
        int pc = 0;
        while (pc < insns.length) {
            long insn = insns[pc++];
            int code = (int) (insn >>> 48);
            int jt = (int) (insn >>> 40) & 0xFF;
            int jf = (int) (insn >>> 32) & 0xFF;
            int k = (int) insn;
            switch (code & 0x07) {
                case BPF_LD, BPF_LDX -> {
                    boolean toX = (code & 0x07) == BPF_LDX;
                    int mode = code & 0xe0;
                    int v;
                    switch (mode) {
                        case BPF_IMM -> v = k;
                        case BPF_LEN -> v = wireLen;
                        case BPF_MEM -> {
                            if (Integer.compareUnsigned(k, BPF_MEMWORDS) >= 0) {
                                return 0;
                            }
                            if (mem == null) {
                                mem = new int[BPF_MEMWORDS];
                            }
                            v = mem[k];
                        }
                        case BPF_ABS, BPF_IND, BPF_MSH -> {
                            if (toX != (mode == BPF_MSH)) {
                                return 0; // LD has no MSH; LDX has no ABS/IND
                            }
                            long at = Integer.toUnsignedLong(k) + (mode == BPF_IND ? Integer.toUnsignedLong(x) : 0);
                            int size = mode == BPF_MSH ? 1 : switch (code & 0x18) {
                                case BPF_W -> 4;
                                case BPF_H -> 2;
                                case BPF_B -> 1;
                                default -> -1;
                            };
                            if (size < 0 || at + size > len) {
                                return 0;
                            }
                            v = switch (size) {
                                case 4 -> data.get(INT_BE, offset + at);
                                case 2 -> Short.toUnsignedInt(data.get(SHORT_BE, offset + at));
                                default -> Byte.toUnsignedInt(data.get(ValueLayout.JAVA_BYTE, offset + at));
                            };
                            if (mode == BPF_MSH) {
                                v = (v & 0x0F) << 2;
                            }
                        }
                        default -> {
                            return 0;
                        }
                    }
                    if (toX) {
                        x = v;
                    } else {
                        a = v;
                    }
                }
                case BPF_ST, BPF_STX -> {
                    if (Integer.compareUnsigned(k, BPF_MEMWORDS) >= 0) {
                        return 0;
                    }
                    if (mem == null) {
                        mem = new int[BPF_MEMWORDS];
                    }
                    mem[k] = (code & 0x07) == BPF_ST ? a : x;
                }
                case BPF_ALU -> {
                    int operand = (code & BPF_X) != 0 ? x : k;
                    switch (code & 0xf0) {
                        case BPF_ADD -> a += operand;
                        case BPF_SUB -> a -= operand;
                        case BPF_MUL -> a *= operand;
                        case BPF_DIV -> {
                            if (operand == 0) {
                                return 0;
                            }
                            a = Integer.divideUnsigned(a, operand);
                        }
                        case BPF_MOD -> {
                            if (operand == 0) {
                                return 0;
                            }
                            a = Integer.remainderUnsigned(a, operand);
                        }
                        case BPF_OR -> a |= operand;
                        case BPF_AND -> a &= operand;
                        case BPF_XOR -> a ^= operand;
                        case BPF_LSH -> a = Integer.compareUnsigned(operand, 32) >= 0 ? 0 : a << operand;
                        case BPF_RSH -> a = Integer.compareUnsigned(operand, 32) >= 0 ? 0 : a >>> operand;
                        case BPF_NEG -> a = -a;
                        default -> {
                            return 0;
                        }
                    }
                }
                case BPF_JMP -> {
                    int operand = (code & BPF_X) != 0 ? x : k;
                    int op = code & 0xf0;
                    if (op == BPF_JA) {
                        if (Integer.toUnsignedLong(k) >= insns.length - pc) {
                            return 0;
                        }
                        pc += k;
                        continue;
                    }
                    boolean taken = switch (op) {
                        case BPF_JEQ -> a == operand;
                        case BPF_JGT -> Integer.compareUnsigned(a, operand) > 0;
                        case BPF_JGE -> Integer.compareUnsigned(a, operand) >= 0;
                        case BPF_JSET -> (a & operand) != 0;
                        default -> {
                            pc = insns.length; // unknown jump: fall off the end, reject
                            yield false;
                        }
                    };
                    pc += taken ? jt : jf;
                }
                case BPF_RET -> {
                    int v = switch (code & 0x18) {
                        case BPF_A -> a;
                        case BPF_X -> x;
                        default -> k;
                    };
                    return Integer.toUnsignedLong(v);
                }
                default -> { // BPF_MISC
                    if ((code & 0xf8) == BPF_TXA) {
                        a = x;
                    } else {
                        x = a; // BPF_TAX
                    }
                }
            }
        }
        return 0;
    }
}
