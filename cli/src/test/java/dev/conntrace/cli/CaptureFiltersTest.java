package dev.conntrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conntrace.packet.BpfProgram;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureFiltersTest {
    @TempDir
    Path tmp;

    private Path script(String body) throws Exception {
        Path p = tmp.resolve("tcpdump");
        Files.writeString(p, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    @Test
    void compilesByRunningTcpdumpWithTheInterfaceAndExpression() throws Exception {
        Path args = tmp.resolve("args");
        Path tcpdump = script("printf '%s\\n' \"$@\" > " + args + "\necho 2\necho '6 0 0 0'\necho '6 0 0 262144'\n");
        assertThat(CaptureFilters.compile(tcpdump, "eth7", "udp port 53").toString()).isEqualTo("2\n6 0 0 0\n6 0 0 262144\n");
        assertThat(Files.readAllLines(args)).containsExactly("-i", "eth7", "-ddd", "udp port 53");
    }

    @Test
    void tcpdumpsErrorIsTheMessage() throws Exception {
        Path tcpdump = script("echo 'tcpdump: warning: x' >&2\necho 'tcpdump: syntax error in filter expression' >&2\nexit 1\n");
        assertThatThrownBy(() -> CaptureFilters.compile(tcpdump, "lo", "udp prot 53"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tcpdump could not compile 'udp prot 53': tcpdump: syntax error in filter expression");
    }

    @Test
    void programsComeFromAFileOrStandardInput() throws Exception {
        Path f = Files.writeString(tmp.resolve("p.bpf"), "1\n6 0 0 65535\n");
        assertThat(CaptureFilters.resolve(null, f.toString(), "lo", inputOf("")).k(0)).isEqualTo(65535);
        assertThat(CaptureFilters.resolve(null, "-", "lo", inputOf("1\n6 0 0 7\n")).k(0)).isEqualTo(7);
        assertThat(CaptureFilters.resolve(null, null, "lo", inputOf(""))).isNull();
    }

    @Test
    void expressionsAreCompiledByLibpcapForTheInterfacesLinkType() throws Exception {
        var libpcap = dev.conntrace.packet.FilterCompiler.load();
        dev.conntrace.sys.testing.Prerequisites.require(libpcap.isPresent(), "libpcap is installed");
        BpfProgram p = CaptureFilters.resolve("udp port 53", null, "lo", 1500, inputOf(""));
        assertThat(p).isEqualTo(libpcap.get().compile("udp port 53", dev.conntrace.packet.LinkType.ETHERNET, 1500));
        assertThatThrownBy(() -> CaptureFilters.resolve("udp port 53", null, "no-such-if0", 1500, inputOf("")))
                .isInstanceOf(java.io.IOException.class).hasMessage("no such interface: no-such-if0");
        assertThatThrownBy(() -> CaptureFilters.resolve("udp prot 53", null, "lo", 1500, inputOf("")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("cannot compile filter 'udp prot 53': ");
    }

    private static ByteArrayInputStream inputOf(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.US_ASCII));
    }
}
