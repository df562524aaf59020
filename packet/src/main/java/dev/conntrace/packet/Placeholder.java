package dev.conntrace.packet;

/** Placeholder until the first real class lands. */
final class Placeholder {
    private Placeholder() {}
}
