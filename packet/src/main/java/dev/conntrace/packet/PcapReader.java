package dev.conntrace.packet;

import java.io.IOException;

/**
 * Reads the classic libpcap format (draft-ietf-opsawg-pcap): a 24-byte file header then records
 * of a 16-byte header and the packet bytes. Microsecond and nanosecond magics in either byte
 * order are accepted, as is the Kuznetzov "modified pcap" variant with 24-byte record headers.
 *
 * <p>Records are read in place; nothing is allocated per packet.
 */
final class PcapReader extends CaptureFileReader {
    static final int MAGIC_MICROS = 0xA1B2C3D4;
    static final int MAGIC_NANOS = 0xA1B23C4D;
    static final int MAGIC_MODIFIED = 0xA1B2CD34;
    static final int FILE_HEADER = 24;
    /** Larger records than this are treated as corrupt lengths, not as packets. */
    static final int MAX_RECORD = 64 << 20;

    private final boolean nanos;
    private final int recordHeader;
    private final int linkType;
    private final int snaplen;
    private final int versionMajor;
    private final int versionMinor;

    PcapReader(CaptureInput in) throws IOException {
        super(in, FILE_HEADER);
        if (!in.ensure(0, FILE_HEADER)) {
            throw new CaptureFormatException(in.name, 0, "file ends inside the 24-byte pcap header");
        }
        int magic = in.intLe(0);
        int m = magic;
        boolean sw = false;
        if (m != MAGIC_MICROS && m != MAGIC_NANOS && m != MAGIC_MODIFIED) {
            m = Integer.reverseBytes(magic);
            sw = true;
        }
        if (m != MAGIC_MICROS && m != MAGIC_NANOS && m != MAGIC_MODIFIED) {
            throw new CaptureFormatException(in.name, 0, String.format("not a pcap magic: 0x%08x", magic));
        }
        this.swap = sw;
        this.nanos = m == MAGIC_NANOS;
        this.recordHeader = m == MAGIC_MODIFIED ? 24 : 16;
        this.versionMajor = u16(4);
        this.versionMinor = u16(6);
        if (versionMajor != 2) {
            throw new CaptureFormatException(in.name, 4,
                    "unsupported pcap version " + versionMajor + "." + versionMinor);
        }
        this.snaplen = i32(16);
        this.linkType = i32(20) & 0xFFFF; // LT_LINKTYPE(): the upper bits carry FCS length flags
    }

    @Override
    public boolean next() throws IOException {
        if (done) {
            return false;
        }
        long p = pos;
        if (!in.ensure(p, recordHeader)) {
            finish(p);
            return false;
        }
        long sec = i32(p) & 0xFFFF_FFFFL;
        long frac = i32(p + 4) & 0xFFFF_FFFFL;
        int incl = i32(p + 8);
        int orig = i32(p + 12);
        if (incl < 0 || incl > MAX_RECORD) {
            throw new CaptureFormatException(in.name, p,
                    "record captured length " + Integer.toUnsignedString(incl) + " exceeds " + MAX_RECORD);
        }
        if (!in.ensure(p, (long) recordHeader + incl)) {
            finish(p);
            return false;
        }
        timestamp = sec * 1_000_000_000L + (nanos ? frac : frac * 1000L);
        capLen = incl;
        origLen = orig;
        dataPos = p + recordHeader;
        pos = dataPos + incl;
        index++;
        return true;
    }

    @Override
    public int linkType() {
        return linkType;
    }

    /** The snapshot length from the file header. */
    int snaplen() {
        return snaplen;
    }

    /** True for the nanosecond-resolution magic. */
    boolean nanosecond() {
        return nanos;
    }

}
