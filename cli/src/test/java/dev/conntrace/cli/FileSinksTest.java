package dev.conntrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.reassembly.Assembler;
import dev.conntrace.reassembly.DirectionSummary;
import dev.conntrace.reassembly.StreamPool;
import dev.conntrace.reassembly.SummarizingStreamFactory;
import dev.conntrace.reassembly.TcpFlags;
import dev.conntrace.reassembly.TcpSegment;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** More directions in flight than open files allowed: files are closed and reopened, contents stay whole. */
class FileSinksTest {
    @Test
    void reopensEvictedFilesForAppend(@TempDir Path dir) throws Exception {
        List<DirectionSummary> out = new ArrayList<>();
        try (FileSinks sinks = new FileSinks(dir, 2)) {
            SummarizingStreamFactory f = new SummarizingStreamFactory(out::add, sinks, 1);
            Assembler a = new Assembler(new StreamPool(f));
            TcpSegment s = new TcpSegment();
            int conns = 5;
            long[] seq = new long[conns];
            for (int c = 0; c < conns; c++) {
                s.capture(c, c).endpoints(false, 0, 1, 2000 + c, 0, 2, 80).header(0, 0, TcpFlags.SYN, 0)
                        .payload(MemorySegment.ofArray(new byte[0]), 0, 0, 0);
                a.assemble(s);
                seq[c] = 1;
            }
            for (int round = 0; round < 4; round++) {
                for (int c = 0; c < conns; c++) {
                    byte[] p = ("c" + c + "r" + round + ".").getBytes(StandardCharsets.US_ASCII);
                    s.endpoints(false, 0, 1, 2000 + c, 0, 2, 80).header(seq[c], 0, TcpFlags.ACK, 0)
                            .payload(MemorySegment.ofArray(p), 0, p.length, 0);
                    a.assemble(s);
                    seq[c] += p.length;
                }
            }
            a.flushAll();
            f.close();
        }
        assertThat(out).hasSize(10);
        for (int c = 0; c < 5; c++) {
            Path p = dir.resolve(String.format("%04d-0.0.0.1.%d-0.0.0.2.80-c2s", c, 2000 + c));
            assertThat(Files.readString(p)).isEqualTo("c" + c + "r0.c" + c + "r1.c" + c + "r2.c" + c + "r3.");
        }
        try (var files = Files.list(dir)) {
            assertThat(files.count()).isEqualTo(5);
        }
    }

    @Test
    void writesLargerAndSmallerThanTheBufferKeepTheirOrder(@TempDir Path dir) throws Exception {
        int[] sizes = {100, FileSinks.BUFFER + 4000, 40_000, 30_000, 1, FileSinks.BUFFER, 7};
        int conns = 3;
        java.io.ByteArrayOutputStream[] expected = new java.io.ByteArrayOutputStream[conns];
        List<DirectionSummary> out = new ArrayList<>();
        try (FileSinks sinks = new FileSinks(dir, 2)) {
            SummarizingStreamFactory f = new SummarizingStreamFactory(out::add, sinks, 1);
            Assembler a = new Assembler(new StreamPool(f));
            TcpSegment s = new TcpSegment();
            long[] seq = new long[conns];
            for (int c = 0; c < conns; c++) {
                expected[c] = new java.io.ByteArrayOutputStream();
                s.capture(c, c).endpoints(false, 0, 1, 3000 + c, 0, 2, 80).header(0, 0, TcpFlags.SYN, 0)
                        .payload(MemorySegment.ofArray(new byte[0]), 0, 0, 0);
                a.assemble(s);
                seq[c] = 1;
            }
            java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
            for (int size : sizes) {
                for (int c = 0; c < conns; c++) {
                    byte[] p = new byte[size];
                    rnd.nextBytes(p);
                    expected[c].writeBytes(p);
                    s.endpoints(false, 0, 1, 3000 + c, 0, 2, 80).header(seq[c], 0, TcpFlags.ACK, 0)
                            .payload(MemorySegment.ofArray(p), 0, p.length, 0);
                    a.assemble(s);
                    seq[c] += p.length;
                }
            }
            a.flushAll();
            f.close();
        }
        for (int c = 0; c < conns; c++) {
            Path p = dir.resolve(String.format("%04d-0.0.0.1.%d-0.0.0.2.80-c2s", c, 3000 + c));
            assertThat(Files.readAllBytes(p)).isEqualTo(expected[c].toByteArray());
        }
    }
}
