package dev.conntrace.reassembly;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/** Builds segments of one connection 10.0.0.1:40000 (client) to 10.0.0.2:80 for tests. */
final class Wire {
    static final long CLIENT = 0x0A000001L;
    static final long SERVER = 0x0A000002L;

    final Assembler assembler;
    final Recorder recorder;
    final TcpSegment seg = new TcpSegment();
    long time = 1_000_000_000L;
    long index;
    int clientPort = 40000;

    Wire(AssemblerConfig config) {
        recorder = new Recorder();
        assembler = new Assembler(new StreamPool(recorder, config));
    }

    Wire() {
        this(AssemblerConfig.defaults());
    }

    Wire send(boolean fromClient, long seq, int flags, byte[] payload, int missingTail, ChecksumStatus cs) {
        // Payload is placed inside a larger buffer to check offsets are honoured.
        byte[] buf = new byte[payload.length + 7];
        System.arraycopy(payload, 0, buf, 5, payload.length);
        seg.capture(time, index++)
                .endpoints(false, 0, fromClient ? CLIENT : SERVER, fromClient ? clientPort : 80, 0, fromClient ? SERVER : CLIENT,
                        fromClient ? 80 : clientPort)
                .header(seq, 0, flags, 65535)
                .payload(MemorySegment.ofArray(buf), 5, payload.length, missingTail)
                .checksum(cs);
        assembler.assemble(seg);
        time += 1_000_000;
        return this;
    }

    Wire c(long seq, int flags, String data) {
        return send(true, seq, flags, bytes(data), 0, ChecksumStatus.UNCHECKED);
    }

    Wire s(long seq, int flags, String data) {
        return send(false, seq, flags, bytes(data), 0, ChecksumStatus.UNCHECKED);
    }

    /** Client SYN with ISN {@code cIsn}, server SYN-ACK with {@code sIsn}. */
    Wire handshake(long cIsn, long sIsn) {
        c(cIsn, TcpFlags.SYN, "");
        s(sIsn, TcpFlags.SYN | TcpFlags.ACK, "");
        return c(Seq.add(cIsn, 1), TcpFlags.ACK, "");
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
