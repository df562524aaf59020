package dev.conntrace.cli;

import dev.conntrace.sys.NetNamespace;
import dev.conntrace.sys.SysException;
import java.nio.file.Path;

/** A {@code --netns} value: a name under /run/netns (as {@code ip netns} makes them) or a path. */
final class NetnsOption {
    private NetnsOption() {}

    /** Opens the namespace {@code value} names. */
    static NetNamespace open(String value) throws SysException {
        return value.contains("/") ? NetNamespace.open(Path.of(value)) : NetNamespace.named(value);
    }
}
