package dev.conntrace.conntrack;

/** Placeholder until the first real class lands. */
final class Placeholder {
    private Placeholder() {}
}
