package dev.conntrace.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ErrnoTest {
    @Test
    void namesAndNumbersOfCommonErrors() {
        assertThat(Errno.name(1)).isEqualTo("EPERM");
        assertThat(Errno.name(2)).isEqualTo("ENOENT");
        assertThat(Errno.name(11)).isEqualTo("EAGAIN");
        assertThat(Errno.name(105)).isEqualTo("ENOBUFS");
        assertThat(Errno.ENOBUFS).isEqualTo(105);
        assertThat(Errno.EWOULDBLOCK).isEqualTo(Errno.EAGAIN);
        assertThat(Errno.description(Errno.ENOBUFS)).isEqualTo("No buffer space available");
        assertThat(Errno.number("EINVAL")).isEqualTo(22);
        assertThat(Errno.number("EWOULDBLOCK")).isEqualTo(11);
        assertThat(Errno.number("ENOTANERRNO")).isEqualTo(-1);
    }

    @Test
    void unknownNumbersAreNamedNotThrown() {
        assertThat(Errno.name(0)).isEqualTo("errno(0)");
        assertThat(Errno.name(41)).isEqualTo("errno(41)"); // a hole in the numbering
        assertThat(Errno.name(4096)).isEqualTo("errno(4096)");
        assertThat(Errno.isKnown(4096)).isFalse();
        assertThat(Errno.isKnown(Errno.EHWPOISON)).isTrue();
        assertThat(Errno.description(-3)).isEqualTo("unknown error -3");
    }

    /** The table matches the installed kernel headers, when they are there to compare with. */
    @Test
    void tableMatchesInstalledHeaders() throws IOException {
        Pattern define = Pattern.compile("^#define\\s+(E[A-Z0-9]+)\\s+([0-9]+)", Pattern.MULTILINE);
        int compared = 0;
        for (String header : new String[] {"/usr/include/asm-generic/errno-base.h", "/usr/include/asm-generic/errno.h"}) {
            Path path = Path.of(header);
            if (!Files.isReadable(path)) {
                continue;
            }
            Matcher m = define.matcher(Files.readString(path));
            while (m.find()) {
                int number = Integer.parseInt(m.group(2));
                assertThat(Errno.name(number)).as("errno %d", number).isEqualTo(m.group(1));
                assertThat(Errno.number(m.group(1))).isEqualTo(number);
                compared++;
            }
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(compared > 0, "kernel headers not installed");
        assertThat(compared).isGreaterThan(120);
    }

    @Test
    void exceptionCarriesOperationNumberAndName() {
        SysException e = new SysException("setsockopt(SO_RCVBUFFORCE)", Errno.EPERM, "needs CAP_NET_ADMIN");
        assertThat(e).isInstanceOf(IOException.class);
        assertThat(e.errno()).isEqualTo(1);
        assertThat(e.errnoName()).isEqualTo("EPERM");
        assertThat(e.operation()).isEqualTo("setsockopt(SO_RCVBUFFORCE)");
        assertThat(e.is(Errno.EPERM)).isTrue();
        assertThat(e.is(Errno.ENOENT)).isFalse();
        assertThat(e.getMessage())
                .isEqualTo("setsockopt(SO_RCVBUFFORCE): EPERM (Operation not permitted): needs CAP_NET_ADMIN");
        assertThat(new SysException("recvmsg", Errno.ENOBUFS).getMessage())
                .isEqualTo("recvmsg: ENOBUFS (No buffer space available)");
    }
}
