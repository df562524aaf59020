package dev.conntrace.packet.dns;

import dev.conntrace.sys.IpAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads one DNS message. Bounded: names are at most 255 wire bytes, compression pointers must
 * point strictly backwards (so following them always ends) and at most {@link #MAX_POINTERS} are
 * followed per name; section counts are limited by the bytes present, never preallocated.
 */
final class DnsParser {
    static final int MAX_NAME = 255;
    static final int MAX_POINTERS = 64;

    private final byte[] b;
    private final int base;
    private final int length;
    private int pos; // relative to base

    DnsParser(byte[] bytes, int offset, int length) {
        this.b = bytes;
        this.base = offset;
        this.length = length;
    }

    private DnsFormatException shortAt(int at, String what) {
        return new DnsFormatException(at, true, what);
    }

    private DnsFormatException corruptAt(int at, String what) {
        return new DnsFormatException(at, false, what);
    }

    private void need(int at, int n, String what) throws DnsFormatException {
        if (at + n > length) {
            throw shortAt(at, what + " needs " + n + " bytes, " + Math.max(0, length - at) + " left");
        }
    }

    private int u8(int at) {
        return b[base + at] & 0xFF;
    }

    private int u16(int at) {
        return (u8(at) << 8) | u8(at + 1);
    }

    private long u32(int at) {
        return ((long) u16(at) << 16) | u16(at + 2);
    }

    DnsMessage message() throws DnsFormatException {
        need(0, 12, "header");
        int id = u16(0);
        int flags = u16(2);
        int qd = u16(4);
        int an = u16(6);
        int ns = u16(8);
        int ar = u16(10);
        pos = 12;
        List<DnsQuestion> questions = new ArrayList<>(Math.min(qd, 16));
        for (int i = 0; i < qd; i++) {
            String name = name();
            need(pos, 4, "question type and class");
            questions.add(new DnsQuestion(name, u16(pos), u16(pos + 2)));
            pos += 4;
        }
        List<DnsRecord> answers = records(an);
        List<DnsRecord> authorities = records(ns);
        List<DnsRecord> additionals = records(ar);
        return new DnsMessage(id, flags, questions, answers, authorities, additionals);
    }

    private List<DnsRecord> records(int count) throws DnsFormatException {
        List<DnsRecord> out = new ArrayList<>(Math.min(count, 16));
        for (int i = 0; i < count; i++) {
            String name = name();
            need(pos, 10, "record header");
            int type = u16(pos);
            int dnsClass = u16(pos + 2);
            long ttl = u32(pos + 4);
            int rdlength = u16(pos + 8);
            pos += 10;
            need(pos, rdlength, DnsType.name(type) + " RDATA");
            int rdEnd = pos + rdlength;
            DnsData data = rdata(type, dnsClass, ttl, pos, rdEnd);
            pos = rdEnd;
            out.add(new DnsRecord(name, type, dnsClass, ttl, data));
        }
        return out;
    }

    private DnsData rdata(int type, int dnsClass, long ttl, int at, int end) throws DnsFormatException {
        int len = end - at;
        switch (type) {
            case DnsType.A, DnsType.AAAA -> {
                int want = type == DnsType.A ? 4 : 16;
                if (len != want) {
                    throw corruptAt(at, DnsType.name(type) + " RDATA of " + len + " bytes, not " + want);
                }
                return new DnsData.Address(IpAddress.of(b, base + at, len));
            }
            case DnsType.CNAME, DnsType.NS, DnsType.PTR, DnsType.DNAME -> {
                pos = at;
                String n = name();
                within(end, type);
                return new DnsData.Name(n);
            }
            case DnsType.MX -> {
                need(at, 2, "MX preference");
                pos = at + 2;
                String n = name();
                within(end, type);
                return new DnsData.Mx(u16(at), n);
            }
            case DnsType.SRV -> {
                if (len < 6) {
                    throw corruptAt(at, "SRV RDATA of " + len + " bytes");
                }
                pos = at + 6;
                String n = name();
                within(end, type);
                return new DnsData.Srv(u16(at), u16(at + 2), u16(at + 4), n);
            }
            case DnsType.SOA -> {
                pos = at;
                String mname = name();
                String rname = name();
                if (pos + 20 > end) {
                    throw corruptAt(pos, "SOA RDATA too short for its five numbers");
                }
                int p = pos;
                DnsData soa = new DnsData.Soa(mname, rname, u32(p), u32(p + 4), u32(p + 8), u32(p + 12), u32(p + 16));
                pos = p + 20;
                within(end, type);
                return soa;
            }
            case DnsType.TXT -> {
                List<String> strings = new ArrayList<>();
                int p = at;
                while (p < end) {
                    int n = u8(p);
                    if (p + 1 + n > end) {
                        throw corruptAt(p, "TXT string of " + n + " bytes overruns RDATA");
                    }
                    StringBuilder sb = new StringBuilder(n);
                    for (int i = 0; i < n; i++) {
                        appendEscaped(sb, u8(p + 1 + i), false);
                    }
                    strings.add(sb.toString());
                    p += 1 + n;
                }
                return new DnsData.Txt(strings);
            }
            case DnsType.SVCB, DnsType.HTTPS -> {
                need(at, 2, "SVCB priority");
                if (len < 3) {
                    throw corruptAt(at, "SVCB RDATA of " + len + " bytes");
                }
                pos = at + 2;
                String target = uncompressedName(end);
                return new DnsData.Svcb(u16(at), target, Arrays.copyOfRange(b, base + pos, base + end));
            }
            case DnsType.OPT -> {
                return new DnsData.Opt(dnsClass, (int) (ttl >>> 24), (int) (ttl >>> 16) & 0xFF, (int) ttl & 0xFFFF,
                        Arrays.copyOfRange(b, base + at, base + end));
            }
            default -> {
                return new DnsData.Raw(Arrays.copyOfRange(b, base + at, base + end));
            }
        }
    }

    private void within(int end, int type) throws DnsFormatException {
        if (pos != end) {
            throw corruptAt(pos, DnsType.name(type) + " RDATA ends at " + pos + " but RDLENGTH says " + end);
        }
    }

    /** A name that must not use compression (RFC 9460 section 2.2), ending before {@code end}. */
    private String uncompressedName(int end) throws DnsFormatException {
        int start = pos;
        String n = name();
        if (pos > end) {
            throw corruptAt(start, "target name overruns RDATA");
        }
        return n;
    }

    /** Reads a possibly compressed name at {@link #pos}; leaves {@code pos} after its in-place part. */
    String name() throws DnsFormatException {
        StringBuilder sb = new StringBuilder(32);
        int p = pos;
        int after = -1;
        int wire = 0;
        int pointers = 0;
        while (true) {
            need(p, 1, "name label");
            int len = u8(p);
            int kind = len & 0xC0;
            if (kind == 0xC0) {
                need(p, 2, "compression pointer");
                int target = ((len & 0x3F) << 8) | u8(p + 1);
                if (target >= p) {
                    throw corruptAt(p, "compression pointer to " + target + " does not point backwards");
                }
                if (++pointers > MAX_POINTERS) {
                    throw corruptAt(p, "more than " + MAX_POINTERS + " compression pointers in one name");
                }
                if (after < 0) {
                    after = p + 2;
                }
                p = target;
                continue;
            }
            if (kind != 0) {
                throw corruptAt(p, String.format("label type 0x%02x is not defined", kind));
            }
            wire += len + 1;
            if (wire > MAX_NAME) {
                throw corruptAt(p, "name longer than " + MAX_NAME + " bytes");
            }
            if (len == 0) {
                if (after < 0) {
                    after = p + 1;
                }
                break;
            }
            need(p + 1, len, "name label");
            if (!sb.isEmpty()) {
                sb.append('.');
            }
            for (int i = 0; i < len; i++) {
                appendEscaped(sb, u8(p + 1 + i), true);
            }
            p += 1 + len;
        }
        pos = after;
        return sb.isEmpty() ? "." : sb.toString();
    }

    /** RFC 1035 section 5.1 presentation escaping. */
    private static void appendEscaped(StringBuilder sb, int c, boolean inName) {
        if (c < 0x21 || c > 0x7E) {
            if (c == ' ' && !inName) {
                sb.append(' ');
                return;
            }
            sb.append('\\');
            sb.append((char) ('0' + c / 100)).append((char) ('0' + c / 10 % 10)).append((char) ('0' + c % 10));
        } else if (c == '\\' || c == '"' || (inName && (c == '.' || c == '(' || c == ')' || c == ';' || c == '@' || c == '$'))) {
            sb.append('\\').append((char) c);
        } else {
            sb.append((char) c);
        }
    }
}
