package dev.conntrace.conntrack.wire;

import dev.conntrace.netlink.DecodeException;
import dev.conntrace.netlink.MessageCursor;
import dev.conntrace.netlink.NetlinkMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** A golden file written by {@code golden/capture.sh}: kernel messages and the line conntrack printed for each. */
record Golden(long now, List<byte[]> messages, List<String> lines) {

    static Golden load(String name) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource golden/" + name);
            }
            long now = 0;
            List<byte[]> msgs = new ArrayList<>();
            List<String> lines = new ArrayList<>();
            for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1)) {
                if (l.startsWith("now ")) {
                    now = Long.parseLong(l.substring(4).strip());
                } else if (l.startsWith("msg ")) {
                    msgs.add(HexFormat.of().parseHex(l.substring(4).strip()));
                } else if (l.startsWith("line ")) {
                    lines.add(l.substring(5));
                }
            }
            return new Golden(now, msgs, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A view of the single message in {@code bytes}. */
    static NetlinkMessage message(byte[] bytes) throws DecodeException {
        MessageCursor c = new MessageCursor().reset(MemorySegment.ofArray(bytes), 0, bytes.length);
        if (!c.next()) {
            throw new IllegalStateException("no message");
        }
        return c.message();
    }
}
