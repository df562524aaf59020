package dev.conntrace.bench;

/** Placeholder until the first benchmark lands. */
final class Placeholder {
    private Placeholder() {}
}
