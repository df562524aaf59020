package dev.conntrace.packet;

import java.io.IOException;

/**
 * A capture file that can never be valid: bad magic, impossible block or record lengths, a
 * block whose trailing length disagrees with its leading one, an unsupported format version.
 *
 * <p>A file that merely ends early is not corrupt: readers stop at the last complete packet and
 * report the offset of the partial tail instead (see {@link PacketSource#truncatedTail()}).
 */
public final class CaptureFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final long offset;

    /**
     * @param source the file name (or "stdin") the bytes came from
     * @param offset the byte offset in the file where the bad structure starts
     * @param problem what is wrong, in plain words
     */
    public CaptureFormatException(String source, long offset, String problem) {
        super(source + ": corrupt capture at offset " + offset + ": " + problem);
        this.source = source;
        this.offset = offset;
    }

    /** The byte offset in the capture where the bad structure starts. */
    public long offset() {
        return offset;
    }

    /** The file name (or "stdin") the capture came from. */
    public String source() {
        return source;
    }
}
