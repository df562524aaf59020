package dev.conntrace.conntrack;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The kernel's count of messages dropped for one netlink socket: the {@code Drops} column of
 * {@code /proc/net/netlink} ({@code sk_drops}, raised by {@code netlink_overrun}), matched by
 * protocol and port id.
 *
 * <p>The file is opened when this object is made, from the calling thread's
 * {@code /proc/thread-self/net}, so it keeps describing that thread's network namespace whichever
 * thread reads it later. Reads are bounded ({@value #MAX_BYTES} bytes). Not thread-safe.
 */
final class SocketDrops implements AutoCloseable {
    static final int MAX_BYTES = 8 << 20;
    private final FileChannel file;
    private final int protocol;
    private final int portId;
    private ByteBuffer buffer = ByteBuffer.allocate(16 << 10);

    private SocketDrops(FileChannel file, int protocol, int portId) {
        this.file = file;
        this.protocol = protocol;
        this.portId = portId;
    }

    /** A reader for the socket ({@code protocol}, {@code portId}), or null when the file cannot be opened. */
    static SocketDrops open(int protocol, int portId) {
        try {
            return new SocketDrops(FileChannel.open(Path.of("/proc/thread-self/net/netlink"), StandardOpenOption.READ),
                    protocol, portId);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    /** Messages dropped so far, or -1 when the socket's row is not found or the file cannot be read. */
    long read() {
        try {
            buffer.clear();
            long position = 0;
            while (true) {
                int n = file.read(buffer, position);
                if (n < 0) {
                    break;
                }
                position += n;
                if (!buffer.hasRemaining()) {
                    if (buffer.capacity() >= MAX_BYTES) {
                        break;
                    }
                    ByteBuffer bigger = ByteBuffer.allocate(buffer.capacity() * 2);
                    buffer.flip();
                    bigger.put(buffer);
                    buffer = bigger;
                }
            }
            buffer.flip();
            return parse(StandardCharsets.US_ASCII.decode(buffer).toString(), protocol, portId);
        } catch (IOException e) {
            return -1;
        }
    }

    /** The Drops value of the row for ({@code protocol}, {@code portId}) in {@code text}, or -1. */
    static long parse(String text, int protocol, int portId) {
        String port = Integer.toUnsignedString(portId);
        String eth = Integer.toString(protocol);
        for (String line : text.split("\n")) {
            String[] f = line.trim().split(" +");
            // sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode
            if (f.length >= 10 && f[1].equals(eth) && f[2].equals(port)) {
                try {
                    return Long.parseLong(f[8]);
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    @Override
    public void close() {
        try {
            file.close();
        } catch (IOException e) {
            // nothing to do: a read-only proc file
        }
    }
}
