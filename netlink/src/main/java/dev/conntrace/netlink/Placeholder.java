package dev.conntrace.netlink;

/** Placeholder until the libc surface lands. */
final class Placeholder {
    private Placeholder() {}
}
