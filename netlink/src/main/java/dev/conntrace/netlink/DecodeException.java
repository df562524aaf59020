package dev.conntrace.netlink;

import java.io.IOException;
import java.io.Serial;

/**
 * Bytes that do not decode as netlink messages or attributes. Two outcomes are kept apart:
 * {@link Kind#TRUNCATED} — the input ends before a message or attribute does (more bytes could
 * complete it) — and {@link Kind#CORRUPT} — the input can never be valid (a length below the header
 * size, an attribute overrunning its enclosing nest, a value of the wrong size, nesting too deep).
 */
public class DecodeException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Why decoding stopped. */
    public enum Kind {
        /** The input ends before the message or attribute it announces. */
        TRUNCATED,
        /** The input can never be valid. */
        CORRUPT
    }

    private final Kind kind;
    private final long offset;
    private final String what;

    /** A failure of {@code kind} at byte {@code offset} of the decoded buffer, described by {@code what}. */
    public DecodeException(Kind kind, long offset, String what) {
        super(kind.name().toLowerCase(java.util.Locale.ROOT) + " at offset " + offset + ": " + what);
        this.kind = kind;
        this.offset = offset;
        this.what = what;
    }

    /** Truncated or corrupt. */
    public Kind kind() {
        return kind;
    }

    /** True for {@link Kind#TRUNCATED}. */
    public boolean isTruncated() {
        return kind == Kind.TRUNCATED;
    }

    /** Byte offset, within the segment being decoded, of the message or attribute at fault. */
    public long offset() {
        return offset;
    }

    /** What was wrong, e.g. "attribute type 3 claims 40 bytes, 12 left". */
    public String what() {
        return what;
    }

    static DecodeException truncated(long offset, String what) {
        return new DecodeException(Kind.TRUNCATED, offset, what);
    }

    static DecodeException corrupt(long offset, String what) {
        return new DecodeException(Kind.CORRUPT, offset, what);
    }
}
