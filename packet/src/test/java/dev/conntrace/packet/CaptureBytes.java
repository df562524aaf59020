package dev.conntrace.packet;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Builds pcap and pcapng bytes by hand, in either byte order, for reader tests. */
final class CaptureBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private ByteOrder order;

    CaptureBytes(ByteOrder order) {
        this.order = order;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    int size() {
        return out.size();
    }

    CaptureBytes order(ByteOrder o) {
        this.order = o;
        return this;
    }

    CaptureBytes i32(int v) {
        out.writeBytes(ByteBuffer.allocate(4).order(order).putInt(v).array());
        return this;
    }

    CaptureBytes i16(int v) {
        out.writeBytes(ByteBuffer.allocate(2).order(order).putShort((short) v).array());
        return this;
    }

    CaptureBytes i64(long v) {
        out.writeBytes(ByteBuffer.allocate(8).order(order).putLong(v).array());
        return this;
    }

    CaptureBytes raw(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    // ---- pcap

    CaptureBytes pcapHeader(int magic, int linkType) {
        return i32(magic).i16(2).i16(4).i32(0).i32(0).i32(65535).i32(linkType);
    }

    CaptureBytes pcapRecord(int sec, int frac, byte[] data, int origLen) {
        return i32(sec).i32(frac).i32(data.length).i32(origLen).raw(data);
    }

    // ---- pcapng

    CaptureBytes shb() {
        return i32(0x0A0D0D0A).i32(28).i32(0x1A2B3C4D).i16(1).i16(0).i64(-1).i32(28);
    }

    /** An IDB with optional if_tsresol (negative: none) and if_tsoffset (null: none). */
    CaptureBytes idb(int linkType, int snaplen, int tsresol, Long tsoffset) {
        int len = 20 + (tsresol >= 0 ? 8 : 0) + (tsoffset != null ? 12 : 0) + 4;
        i32(1).i32(len).i16(linkType).i16(0).i32(snaplen);
        if (tsresol >= 0) {
            i16(9).i16(1).raw(new byte[] {(byte) tsresol, 0, 0, 0});
        }
        if (tsoffset != null) {
            i16(14).i16(8).i64(tsoffset);
        }
        return i32(0).i32(len);
    }

    CaptureBytes epb(int iface, long ts, byte[] data, int origLen) {
        int pad = (4 - data.length % 4) % 4;
        int len = 32 + data.length + pad;
        return i32(6).i32(len).i32(iface).i32((int) (ts >>> 32)).i32((int) ts).i32(data.length).i32(origLen)
                .raw(data).raw(new byte[pad]).i32(len);
    }

    CaptureBytes spb(byte[] data, int origLen) {
        int pad = (4 - data.length % 4) % 4;
        int len = 16 + data.length + pad;
        return i32(3).i32(len).i32(origLen).raw(data).raw(new byte[pad]).i32(len);
    }

    CaptureBytes pb(int iface, long ts, byte[] data) {
        int pad = (4 - data.length % 4) % 4;
        int len = 32 + data.length + pad;
        return i32(2).i32(len).i16(iface).i16(0).i32((int) (ts >>> 32)).i32((int) ts).i32(data.length)
                .i32(data.length).raw(data).raw(new byte[pad]).i32(len);
    }

    /** Any other block with a body of {@code body} bytes (a multiple of 4). */
    CaptureBytes block(int type, int body) {
        return i32(type).i32(12 + body).raw(new byte[body]).i32(12 + body);
    }

    static byte[] payload(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 31 + i * 7);
        }
        return b;
    }
}
