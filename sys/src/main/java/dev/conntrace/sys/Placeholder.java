package dev.conntrace.sys;

/** Placeholder until the libc surface lands. */
final class Placeholder {
    private Placeholder() {}
}
