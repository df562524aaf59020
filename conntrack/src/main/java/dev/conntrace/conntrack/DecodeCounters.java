package dev.conntrace.conntrack;

/**
 * What a decoder met besides well-formed flows: attributes it has no meaning for (skipped, as open
 * enums demand) and messages it could not decode (skipped, the dump goes on).
 *
 * <p>One object per decoder. Written by the decoding thread only; other threads may read slightly
 * stale values.
 */
public final class DecodeCounters {
    private volatile long decoded;
    private volatile long malformed;
    private volatile long unknownAttributes;
    private volatile String lastMalformed;

    /** Counters at zero. */
    public DecodeCounters() {}

    /** Messages decoded into a flow, expectation or statistics record. */
    public long decoded() {
        return decoded;
    }

    /** Messages skipped because an attribute was corrupt, truncated or a required one missing. */
    public long malformed() {
        return malformed;
    }

    /** Attributes skipped because their type is not known here (at any nesting level). */
    public long unknownAttributes() {
        return unknownAttributes;
    }

    /** Why the last malformed message was skipped, or null. */
    public String lastMalformed() {
        return lastMalformed;
    }

    /** Counts a decoded message. */
    public void countDecoded() {
        decoded++;
    }

    /** Counts a malformed message and remembers why. */
    public void countMalformed(String why) {
        malformed++;
        lastMalformed = why;
    }

    /** Counts a skipped unknown attribute. */
    public void countUnknownAttribute() {
        unknownAttributes++;
    }

    @Override
    public String toString() {
        return "DecodeCounters[decoded=" + decoded + ", malformed=" + malformed + ", unknownAttributes="
                + unknownAttributes + "]";
    }
}
