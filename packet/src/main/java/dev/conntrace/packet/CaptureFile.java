package dev.conntrace.packet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens pcap and pcapng captures, choosing the format by the file's magic number.
 *
 * <p>Regular files are mapped into memory and read in place; anything else (a pipe, standard
 * input) is read through a sliding buffer. Both paths yield the same packets.
 */
public final class CaptureFile {
    private CaptureFile() {}

    /**
     * Opens a capture file. A path that is not a regular file (a FIFO, {@code /dev/stdin}) is read
     * as a stream.
     *
     * @throws CaptureFormatException when the file is neither pcap nor pcapng, or its header is corrupt
     */
    public static PacketSource open(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            return open(Files.newInputStream(path), path.toString());
        }
        return open(CaptureInput.map(path));
    }

    /**
     * Opens {@code "-"} as standard input and anything else as a path.
     */
    public static PacketSource open(String pathOrDash) throws IOException {
        if (pathOrDash.equals("-")) {
            return open(System.in, "stdin");
        }
        return open(Path.of(pathOrDash));
    }

    /** Reads a capture from a stream; closing the source closes the stream. */
    public static PacketSource open(InputStream stream) throws IOException {
        return open(stream, "stream");
    }

    /** Reads a capture from a stream named {@code name} in messages; closing the source closes the stream. */
    public static PacketSource open(InputStream stream, String name) throws IOException {
        return open(CaptureInput.stream(stream, name));
    }

    private static PacketSource open(CaptureInput in) throws IOException {
        try {
            if (!in.ensure(0, 4)) {
                throw new CaptureFormatException(in.name, 0,
                        "too short for a capture file (" + in.end() + " bytes)");
            }
            int magic = in.intLe(0);
            if (magic == PcapngReader.BLOCK_SHB) {
                return new PcapngReader(in);
            }
            int swapped = Integer.reverseBytes(magic);
            for (int m : new int[] {PcapReader.MAGIC_MICROS, PcapReader.MAGIC_NANOS, PcapReader.MAGIC_MODIFIED}) {
                if (magic == m || swapped == m) {
                    return new PcapReader(in);
                }
            }
            throw new CaptureFormatException(in.name, 0,
                    String.format("unknown file magic 0x%08x: neither pcap nor pcapng", magic));
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }
}
