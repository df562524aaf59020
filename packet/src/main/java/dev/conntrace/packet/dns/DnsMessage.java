package dev.conntrace.packet.dns;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * A parsed DNS message (RFC 1035 section 4, EDNS RFC 6891).
 *
 * @param id the transaction id
 * @param flags the 16-bit flags word (QR, opcode, AA, TC, RD, RA, Z, AD, CD, rcode)
 * @param questions the question section
 * @param answers the answer section
 * @param authorities the authority section
 * @param additionals the additional section (including any OPT record)
 */
public record DnsMessage(int id, int flags, List<DnsQuestion> questions, List<DnsRecord> answers,
        List<DnsRecord> authorities, List<DnsRecord> additionals) {

    /** The largest message DNS can carry (a 16-bit length over TCP). */
    public static final int MAX_LENGTH = 65535;

    public DnsMessage {
        questions = List.copyOf(questions);
        answers = List.copyOf(answers);
        authorities = List.copyOf(authorities);
        additionals = List.copyOf(additionals);
    }

    /**
     * Parses one message from {@code bytes[offset .. offset + length)}.
     *
     * @throws DnsFormatException if it is cut short or corrupt
     */
    public static DnsMessage parse(byte[] bytes, int offset, int length) throws DnsFormatException {
        if (offset < 0 || length < 0 || offset > bytes.length - length) {
            throw new IndexOutOfBoundsException("range " + offset + "+" + length + " outside " + bytes.length + " bytes");
        }
        if (length > MAX_LENGTH) {
            throw new DnsFormatException(0, false, "message of " + length + " bytes exceeds " + MAX_LENGTH);
        }
        return new DnsParser(bytes, offset, length).message();
    }

    /** Parses one message from a whole array. */
    public static DnsMessage parse(byte[] bytes) throws DnsFormatException {
        return parse(bytes, 0, bytes.length);
    }

    /** Parses one message from {@code segment[offset .. offset + length)} (the bytes are copied once). */
    public static DnsMessage parse(MemorySegment segment, long offset, int length) throws DnsFormatException {
        if (length > MAX_LENGTH) {
            throw new DnsFormatException(0, false, "message of " + length + " bytes exceeds " + MAX_LENGTH);
        }
        byte[] copy = new byte[Math.max(0, length)];
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, copy, 0, copy.length);
        return parse(copy, 0, copy.length);
    }

    /** True for a response (QR bit). */
    public boolean isResponse() {
        return (flags & 0x8000) != 0;
    }

    /** The opcode (0 QUERY, 4 NOTIFY, 5 UPDATE...). */
    public int opcode() {
        return (flags >>> 11) & 0xF;
    }

    /** True if the message was truncated by its sender (TC bit). */
    public boolean truncatedFlag() {
        return (flags & 0x0200) != 0;
    }

    /** Authoritative answer (AA bit). */
    public boolean authoritative() {
        return (flags & 0x0400) != 0;
    }

    /** Recursion desired (RD bit). */
    public boolean recursionDesired() {
        return (flags & 0x0100) != 0;
    }

    /** Recursion available (RA bit). */
    public boolean recursionAvailable() {
        return (flags & 0x0080) != 0;
    }

    /** The response code, with the upper 8 bits from an OPT record when present (see {@link DnsRcode}). */
    public int rcode() {
        int rcode = flags & 0xF;
        for (DnsRecord r : additionals) {
            if (r.data() instanceof DnsData.Opt opt) {
                return (opt.extendedRcode() << 4) | rcode;
            }
        }
        return rcode;
    }

    /** The OPT record's data, or null if the message has none. */
    public DnsData.Opt opt() {
        for (DnsRecord r : additionals) {
            if (r.data() instanceof DnsData.Opt opt) {
                return opt;
            }
        }
        return null;
    }
}
