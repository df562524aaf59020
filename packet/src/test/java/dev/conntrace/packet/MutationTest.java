package dev.conntrace.packet;

import dev.conntrace.packet.dns.DnsFuzzTestAccess;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutation fuzzing that runs in every build: the fuzz targets' seeds with random byte
 * flips, overwrites with interesting values, insertions, deletions and cuts. Deterministic (fixed
 * seeds), so a failure reproduces.
 */
class MutationTest {
    static final int ROUNDS = Integer.getInteger("conntrace.mutation.rounds", 3000);

    static List<byte[]> seeds(String dir) {
        List<byte[]> out = new ArrayList<>();
        String base = "/dev/conntrace/packet/" + dir + "/";
        try (InputStream index = MutationTest.class.getResourceAsStream(base)) {
            if (index != null) {
                for (String name : new String(index.readAllBytes()).split("\n")) {
                    try (InputStream in = MutationTest.class.getResourceAsStream(base + name.trim())) {
                        if (in != null) {
                            out.add(in.readAllBytes());
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (out.isEmpty()) {
            Path p = Path.of("src/test/resources" + base);
            try (Stream<Path> s = Files.list(p)) {
                for (Path f : s.sorted().toList()) {
                    out.add(Files.readAllBytes(f));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    static byte[] mutate(byte[] in, SplittableRandom r) {
        byte[] b = in.clone();
        int edits = 1 + r.nextInt(4);
        for (int e = 0; e < edits && b.length > 0; e++) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(6)) {
                case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[at] = (byte) new int[] {0, 0xFF, 0x7F, 0x80, 1, 4, 0xC0}[r.nextInt(7)];
                case 2 -> b = java.util.Arrays.copyOf(b, at); // cut
                case 3 -> { // insert
                    byte[] c = new byte[b.length + 1 + r.nextInt(8)];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(b, at, c, c.length - (b.length - at), b.length - at);
                    b = c;
                }
                case 4 -> { // delete
                    int n = Math.min(b.length - at, 1 + r.nextInt(8));
                    byte[] c = new byte[b.length - n];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(b, at + n, c, at, b.length - at - n);
                    b = c;
                }
                default -> { // a big-endian or little-endian 32-bit value
                    if (at + 4 <= b.length) {
                        int v = new int[] {0, -1, 0x7FFFFFFF, 12, 28, 0x10000, 65536 * 1024}[r.nextInt(7)];
                        for (int i = 0; i < 4; i++) {
                            b[at + i] = (byte) (r.nextBoolean() ? v >>> (8 * i) : v >>> (24 - 8 * i));
                        }
                    }
                }
            }
        }
        return b;
    }

    @Test
    void captureReaders() throws IOException {
        PacketFuzzTest target = new PacketFuzzTest();
        SplittableRandom r = new SplittableRandom(1);
        List<byte[]> seeds = seeds("PacketFuzzTestInputs/captureReadersReturnPacketsOrFormatErrors");
        for (int i = 0; i < ROUNDS; i++) {
            target.captureReadersReturnPacketsOrFormatErrors(mutate(seeds.get(i % seeds.size()), r));
        }
    }

    @Test
    void decoder() {
        PacketFuzzTest target = new PacketFuzzTest();
        SplittableRandom r = new SplittableRandom(2);
        List<byte[]> seeds = seeds("PacketFuzzTestInputs/decoderNeverThrows");
        for (int i = 0; i < ROUNDS * 10; i++) {
            target.decoderNeverThrows(mutate(seeds.get(i % seeds.size()), r));
        }
    }

    @Test
    void dns() {
        SplittableRandom r = new SplittableRandom(3);
        List<byte[]> seeds = seeds("dns/DnsFuzzTestInputs/parserReturnsMessagesOrFormatErrors");
        for (int i = 0; i < ROUNDS * 10; i++) {
            DnsFuzzTestAccess.run(mutate(seeds.get(i % seeds.size()), r));
        }
    }
}
