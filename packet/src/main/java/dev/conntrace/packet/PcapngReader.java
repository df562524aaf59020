package dev.conntrace.packet;

import java.io.IOException;
import java.util.Arrays;

/**
 * Reads pcapng (draft-ietf-opsawg-pcapng): sections in either byte order, each with its own
 * interfaces (link type, snap length, {@code if_tsresol}, {@code if_tsoffset}); enhanced, simple
 * and obsolete packet blocks. Every other block type is skipped.
 *
 * <p>Blocks are validated (minimum length, multiple of 4, trailing length equal to leading length,
 * section version 1.x, a cap on block size) and read in place; nothing is allocated per packet.
 * The interface table grows with IDBs and is capped at {@link #MAX_INTERFACES}.
 */
final class PcapngReader extends CaptureFileReader {
    static final int BLOCK_SHB = 0x0A0D0D0A; // Section Header Block
    static final int BLOCK_IDB = 0x00000001; // Interface Description Block
    static final int BLOCK_PB = 0x00000002; // obsolete Packet Block
    static final int BLOCK_SPB = 0x00000003; // Simple Packet Block
    static final int BLOCK_EPB = 0x00000006; // Enhanced Packet Block
    static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    static final int OPT_ENDOFOPT = 0; // opt_endofopt
    static final int OPT_IF_TSRESOL = 9; // if_tsresol
    static final int OPT_IF_TSOFFSET = 14; // if_tsoffset
    /** Blocks larger than this are treated as corrupt lengths. */
    static final int MAX_BLOCK = 128 << 20;
    static final int MAX_INTERFACES = 1 << 16;

    // interfaces of the current section
    private int ifCount;
    private int[] ifLink = new int[4];
    private int[] ifSnap = new int[4];
    private long[] ifMul = new long[4];
    private long[] ifDiv = new long[4];
    private int[] ifShift = new int[4];
    private long[] ifOffsetNanos = new long[4];

    // current packet
    private int ifId;
    private boolean hasTimestamp;

    PcapngReader(CaptureInput in) throws IOException {
        super(in, 0);
        if (!in.ensure(0, 12) || in.intLe(0) != BLOCK_SHB) {
            throw new CaptureFormatException(in.name, 0, "not a pcapng section header block");
        }
    }

    @Override
    public boolean next() throws IOException {
        while (!done) {
            long p = pos;
            if (!in.ensure(p, 12)) {
                finish(p);
                return false;
            }
            int type = in.intLe(p);
            if (type == BLOCK_SHB) {
                int bom = in.intLe(p + 8);
                if (bom == BYTE_ORDER_MAGIC) {
                    swap = false;
                } else if (bom == Integer.reverseBytes(BYTE_ORDER_MAGIC)) {
                    swap = true;
                } else {
                    throw corrupt(p, String.format("section header byte-order magic 0x%08x", bom));
                }
            } else {
                type = i32(p);
            }
            long len = u32(p + 4);
            if (len < 12) {
                throw corrupt(p, "block length " + len + " is less than 12");
            }
            if ((len & 3) != 0) {
                throw corrupt(p, "block length " + len + " is not a multiple of 4");
            }
            if (len > MAX_BLOCK) {
                throw corrupt(p, "block length " + len + " exceeds " + MAX_BLOCK);
            }
            if (!in.ensure(p, len)) {
                finish(p);
                return false;
            }
            long trailing = u32(p + len - 4);
            if (trailing != len) {
                throw corrupt(p, "block trailing length " + trailing + " differs from leading length " + len);
            }
            pos = p + len;
            switch (type) {
                case BLOCK_SHB -> section(p, len);
                case BLOCK_IDB -> iface(p, len);
                case BLOCK_EPB -> {
                    requireLength(p, len, 32, "enhanced packet");
                    packet(p, len, i32(p + 8), u32(p + 12), u32(p + 16), p + 20, p + 28);
                    return true;
                }
                case BLOCK_PB -> {
                    requireLength(p, len, 32, "obsolete packet");
                    packet(p, len, u16(p + 8), u32(p + 12), u32(p + 16), p + 20, p + 28);
                    return true;
                }
                case BLOCK_SPB -> {
                    simplePacket(p, len);
                    return true;
                }
                default -> { } // name resolution, statistics, secrets, custom...: skipped
            }
        }
        return false;
    }

    private void section(long p, long len) throws CaptureFormatException {
        requireLength(p, len, 28, "section header");
        int major = u16(p + 12);
        int minor = u16(p + 14);
        if (major != 1) {
            throw corrupt(p, "unsupported pcapng section version " + major + "." + minor);
        }
        ifCount = 0;
    }

    private void iface(long p, long len) throws CaptureFormatException {
        requireLength(p, len, 20, "interface description");
        if (ifCount == MAX_INTERFACES) {
            throw corrupt(p, "more than " + MAX_INTERFACES + " interfaces in one section");
        }
        if (ifCount == ifLink.length) {
            int n = ifCount * 2;
            ifLink = Arrays.copyOf(ifLink, n);
            ifSnap = Arrays.copyOf(ifSnap, n);
            ifMul = Arrays.copyOf(ifMul, n);
            ifDiv = Arrays.copyOf(ifDiv, n);
            ifShift = Arrays.copyOf(ifShift, n);
            ifOffsetNanos = Arrays.copyOf(ifOffsetNanos, n);
        }
        int i = ifCount;
        ifLink[i] = u16(p + 8);
        ifSnap[i] = i32(p + 12);
        int tsresol = 6;
        long tsoffset = 0;
        long o = p + 16;
        long end = p + len - 4;
        while (o + 4 <= end) {
            int code = u16(o);
            int olen = u16(o + 2);
            if (code == OPT_ENDOFOPT) {
                break;
            }
            if (o + 4 + olen > end) {
                throw corrupt(o, "interface option " + code + " of length " + olen + " overruns its block");
            }
            if (code == OPT_IF_TSRESOL && olen >= 1) {
                tsresol = in.byteAt(o + 4) & 0xFF;
            } else if (code == OPT_IF_TSOFFSET && olen >= 8) {
                tsoffset = swap ? Long.reverseBytes(in.seg.get(CaptureInput.LONG_LE, o + 4 - in.base))
                        : in.seg.get(CaptureInput.LONG_LE, o + 4 - in.base);
            }
            o += 4 + ((olen + 3) & ~3);
        }
        setScale(i, tsresol);
        ifOffsetNanos[i] = tsoffset * 1_000_000_000L;
        ifCount++;
    }

    /** Precomputes how raw timestamp units become nanoseconds for {@code if_tsresol}. */
    private void setScale(int i, int tsresol) {
        ifMul[i] = 0;
        ifDiv[i] = 0;
        ifShift[i] = -1;
        int n = tsresol & 0x7F;
        if ((tsresol & 0x80) != 0) {
            ifShift[i] = Math.min(n, 63); // units of 2^-n seconds
        } else if (n <= 9) {
            ifMul[i] = POW10[9 - n];
        } else {
            ifDiv[i] = n - 9 <= 18 ? POW10[n - 9] : Long.MAX_VALUE;
        }
    }

    private static final long[] POW10 = {
        1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L,
        10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L, 10_000_000_000_000L, 100_000_000_000_000L,
        1_000_000_000_000_000L, 10_000_000_000_000_000L, 100_000_000_000_000_000L, 1_000_000_000_000_000_000L,
    };

    private long toNanos(int i, long ts) {
        long ns;
        if (ifMul[i] != 0) {
            ns = ts * ifMul[i];
        } else if (ifDiv[i] != 0) {
            ns = Long.divideUnsigned(ts, ifDiv[i]);
        } else {
            int shift = ifShift[i];
            long sec = shift == 0 ? ts : ts >>> shift;
            long frac = shift == 0 ? 0 : ts & ((1L << shift) - 1);
            if (shift > 30) {
                frac >>>= shift - 30;
                shift = 30;
            }
            ns = sec * 1_000_000_000L + ((frac * 1_000_000_000L) >>> shift);
        }
        return ns + ifOffsetNanos[i];
    }

    private void packet(long p, long len, int iface, long tsHigh, long tsLow, long lengths, long data)
            throws CaptureFormatException {
        if (iface < 0 || iface >= ifCount) {
            throw corrupt(p, "packet names interface " + Integer.toUnsignedString(iface)
                    + " but the section has " + ifCount);
        }
        long cap = u32(lengths);
        if (cap > len - 32) {
            throw corrupt(p, "captured length " + cap + " overruns a block of length " + len);
        }
        ifId = iface;
        timestamp = toNanos(iface, (tsHigh << 32) | tsLow);
        hasTimestamp = true;
        capLen = (int) cap;
        origLen = i32(lengths + 4);
        dataPos = data;
        index++;
    }

    private void simplePacket(long p, long len) throws CaptureFormatException {
        requireLength(p, len, 16, "simple packet");
        if (ifCount == 0) {
            throw corrupt(p, "simple packet block before any interface description");
        }
        long orig = u32(p + 8);
        long cap = Math.min(orig, len - 16);
        int snap = ifSnap[0];
        if (snap > 0 && cap > snap) {
            cap = snap;
        }
        ifId = 0;
        timestamp = 0; // simple packet blocks carry no timestamp
        hasTimestamp = false;
        capLen = (int) cap;
        origLen = (int) orig;
        dataPos = p + 12;
        index++;
    }

    private void requireLength(long p, long len, int min, String what) throws CaptureFormatException {
        if (len < min) {
            throw corrupt(p, what + " block length " + len + " is less than its minimum " + min);
        }
    }

    private CaptureFormatException corrupt(long p, String what) {
        done = true;
        return new CaptureFormatException(in.name, p, what);
    }

    @Override
    public boolean hasTimestamp() {
        return hasTimestamp;
    }

    @Override
    public int linkType() {
        return ifLink[ifId];
    }

    @Override
    public int interfaceId() {
        return ifId;
    }

}
