package dev.conntrace.sockets;

/** Placeholder until the first real class lands. */
final class Placeholder {
    private Placeholder() {}
}
