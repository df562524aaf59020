package dev.conntrace.netlink;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A netlink exchange captured from the real kernel, stored as hex text under
 * {@code src/test/resources/golden/}: {@code #} lines are comments, a {@code request:} line holds the
 * request sent, a {@code port:} line the socket's port id, every other line one received datagram.
 */
record GoldenVector(String name, List<String> comments, byte[] request, int portId, List<byte[]> datagrams) {

    static GoldenVector load(String name) {
        try (InputStream in = GoldenVector.class.getResourceAsStream("/golden/" + name + ".hex")) {
            if (in == null) {
                throw new IllegalArgumentException("no golden vector " + name);
            }
            return parse(name, new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static GoldenVector parse(String name, String text) {
        List<String> comments = new ArrayList<>();
        List<byte[]> datagrams = new ArrayList<>();
        byte[] request = new byte[0];
        int port = 0;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                comments.add(line.substring(1).strip());
            } else if (line.startsWith("request:")) {
                request = HexFormat.of().parseHex(line.substring(8).strip());
            } else if (line.startsWith("port:")) {
                port = Integer.parseUnsignedInt(line.substring(5).strip());
            } else {
                datagrams.add(HexFormat.of().parseHex(line));
            }
        }
        return new GoldenVector(name, comments, request, port, datagrams);
    }

    void write(Path directory) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String comment : comments) {
            sb.append("# ").append(comment).append('\n');
        }
        sb.append("port: ").append(Integer.toUnsignedString(portId)).append('\n');
        sb.append("request: ").append(HexFormat.of().formatHex(request)).append('\n');
        for (byte[] datagram : datagrams) {
            sb.append(HexFormat.of().formatHex(datagram)).append('\n');
        }
        Files.writeString(directory.resolve(name + ".hex"), sb.toString(), StandardCharsets.US_ASCII);
    }

    /** All datagrams concatenated. */
    byte[] allBytes() {
        int total = datagrams.stream().mapToInt(d -> d.length).sum();
        byte[] all = new byte[total];
        int at = 0;
        for (byte[] d : datagrams) {
            System.arraycopy(d, 0, all, at, d.length);
            at += d.length;
        }
        return all;
    }
}
