package dev.conntrace.packet.dns;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds DNS messages by hand. */
final class DnsBytes {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    DnsBytes u8(int v) {
        out.write(v);
        return this;
    }

    DnsBytes u16(int v) {
        return u8(v >>> 8).u8(v & 0xFF);
    }

    DnsBytes u32(long v) {
        return u16((int) (v >>> 16)).u16((int) (v & 0xFFFF));
    }

    DnsBytes raw(int... v) {
        for (int b : v) {
            u8(b);
        }
        return this;
    }

    DnsBytes raw(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    /** Uncompressed labels of a dotted name, with the root terminator. */
    DnsBytes name(String dotted) {
        if (!dotted.equals(".")) {
            for (String label : dotted.split("\\.")) {
                byte[] b = label.getBytes(StandardCharsets.US_ASCII);
                u8(b.length).raw(b);
            }
        }
        return u8(0);
    }

    DnsBytes pointer(int offset) {
        return u16(0xC000 | offset);
    }

    DnsBytes header(int id, int flags, int qd, int an, int ns, int ar) {
        return u16(id).u16(flags).u16(qd).u16(an).u16(ns).u16(ar);
    }

    /** A record header after its owner name; the caller then writes exactly {@code rdlength} bytes. */
    DnsBytes rr(int type, int cls, long ttl, int rdlength) {
        return u16(type).u16(cls).u32(ttl).u16(rdlength);
    }

    int size() {
        return out.size();
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
