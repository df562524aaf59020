package dev.conntrace.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conntrace.sys.testing.Prerequisites;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NetNamespaceTest {
    @BeforeEach
    void prerequisites() {
        Prerequisites.requireRoot();
        Prerequisites.requireTool("ip");
    }

    private static String netnsOfThisThread() throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
    }

    @Test
    void taskRunsInsideTheNamespaceAndTheNamespaceIsDeletedAfterwards() throws Exception {
        String name;
        String outside = netnsOfThisThread();
        PrivateNamespace ns = PrivateNamespace.create();
        try {
            name = ns.name();
            assertThat(name).startsWith("ct-");
            assertThat(ns.exists()).isTrue();
            assertThat(Command.run(java.util.List.of("ip", "netns", "list"), Command.DEFAULT_TIMEOUT)).contains(name);
            long inode = (Long) Files.getAttribute(ns.path(), "unix:ino");
            String inside = ns.call(NetNamespaceTest::netnsOfThisThread);
            assertThat(inside).isEqualTo("net:[" + inode + "]").isNotEqualTo(outside);
            assertThat(netnsOfThisThread()).as("the caller's thread stays where it was").isEqualTo(outside);
            assertThat(ns.exec("ip", "-o", "link", "show")).contains("lo:").contains("UP").doesNotContain("eth0");
            ns.close();
            ns.close(); // idempotent
            assertThat(ns.exists()).isFalse();
        } finally {
            ns.close();
        }
        assertThat(Command.run(java.util.List.of("ip", "netns", "list"), Command.DEFAULT_TIMEOUT)).doesNotContain(name);
    }

    @Test
    void taskExceptionsAreRethrownAsThemselves() throws Exception {
        try (PrivateNamespace ns = PrivateNamespace.create()) {
            IOException thrown = new IOException("from inside");
            assertThatThrownBy(() -> ns.call(() -> {
                throw thrown;
            })).isSameAs(thrown);
            IllegalStateException unchecked = new IllegalStateException("unchecked");
            assertThatThrownBy(() -> ns.run(() -> {
                throw unchecked;
            })).isSameAs(unchecked);
            assertThat(ns.call(() -> 42)).isEqualTo(42);
        }
    }

    @Test
    void failingCommandReportsItsError() throws Exception {
        try (PrivateNamespace ns = PrivateNamespace.create()) {
            assertThatThrownBy(() -> ns.exec("ip", "link", "show", "does-not-exist"))
                    .isInstanceOf(IOException.class).hasMessageContaining("does-not-exist");
        }
    }

    @Test
    void missingNamespaceIsEnoent() {
        assertThatThrownBy(() -> NetNamespace.named("ct-never-created"))
                .isInstanceOfSatisfying(SysException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT));
        assertThatThrownBy(() -> NetNamespace.named("../etc")).isInstanceOf(IllegalArgumentException.class);
    }
}
