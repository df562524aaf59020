package dev.conntrace.reassembly;

/** Placeholder until the first real class lands. */
final class Placeholder {
    private Placeholder() {}
}
