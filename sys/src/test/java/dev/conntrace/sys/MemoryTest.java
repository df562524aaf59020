package dev.conntrace.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryTest {
    @Test
    void droppedPagesOfAFileMappingReadBackTheSameBytes(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("m");
        int size = 1 << 20;
        ByteBuffer b = ByteBuffer.allocate(size);
        for (int i = 0; i < size / 4; i++) {
            b.putInt(i * 31 + 7);
        }
        Files.write(f, b.array());
        try (Arena arena = Arena.ofConfined(); FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            MemorySegment m = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            long before = 0;
            for (long p = 0; p < size; p += 4096) {
                before += m.get(ValueLayout.JAVA_BYTE, p);
            }
            assertThat(Memory.advise(m, 0, size, Memory.MADV_SEQUENTIAL)).isTrue();
            assertThat(Memory.advise(m, 100, size - 5000, Memory.MADV_DONTNEED)).isTrue();
            long after = 0;
            for (long p = 0; p < size; p += 4096) {
                after += m.get(ValueLayout.JAVA_BYTE, p);
            }
            assertThat(after).isEqualTo(before);
            assertThat(m.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 4L * 5000))
                    .isEqualTo(5000 * 31 + 7);
            assertThatThrownBy(() -> Memory.advise(m, size - 10, 11, Memory.MADV_DONTNEED))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(Memory.advise(m, 1, 100, Memory.MADV_DONTNEED)).as("no whole page inside").isTrue();
        }
    }

    @Test
    void heapSegmentsAreRejected() {
        assertThatThrownBy(() -> Memory.advise(MemorySegment.ofArray(new byte[8192]), 0, 8192, Memory.MADV_DONTNEED))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
