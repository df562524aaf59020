package dev.conntrace.reassembly;

/** What is known about a segment's IP and TCP checksums. */
public enum ChecksumStatus {
    /** Not checked: the capture cannot prove it (truncated, offloaded) or checking is off. */
    UNCHECKED,
    /** Both checksums were verified and are correct. */
    GOOD,
    /** A checksum was verified and is wrong: the segment is counted and not used. */
    BAD
}
