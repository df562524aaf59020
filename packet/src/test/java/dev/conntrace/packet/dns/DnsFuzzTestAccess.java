package dev.conntrace.packet.dns;

/** Lets the seeded mutation test in the parent package call the DNS fuzz target. */
public final class DnsFuzzTestAccess {
    private DnsFuzzTestAccess() {}

    public static void run(byte[] input) {
        new DnsFuzzTest().parserReturnsMessagesOrFormatErrors(input);
    }
}
