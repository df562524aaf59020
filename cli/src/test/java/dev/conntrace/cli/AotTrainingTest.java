package dev.conntrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AotTrainingTest {

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void theTrainingCaptureIsOneCleanConnectionWithARequestAndAReply(@TempDir Path dir) throws Exception {
        Path pcap = dir.resolve("tiny.pcap");
        Files.write(pcap, AotTraining.TinyCapture.bytes());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StreamsCommand streams = new StreamsCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        int status = new CommandLine(streams).setErr(new PrintWriter(new StringWriter())).execute("-o", "json", pcap.toString());
        assertThat(status).isZero();
        String json = String.join("\n", out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("{")).toList());
        assertThat(json.lines()).hasSize(2);
        assertThat(json).contains("\"bad_checksum\":0").doesNotContain("\"bad_checksum\":1")
                .contains("\"end\":\"fin\"")
                .contains(sha256("GET / HTTP/1.0\r\n\r\n"))
                .contains(sha256("HTTP/1.0 200 OK\r\n\r\nhello"));
    }
}
