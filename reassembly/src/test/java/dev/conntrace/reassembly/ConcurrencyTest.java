package dev.conntrace.reassembly;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Several assemblers on one pool: each connection's bytes stay whole and in order, indexes stay unique. */
class ConcurrencyTest {
    @Test
    void assemblersShareAPool() throws Exception {
        Map<Long, ByteArrayOutputStream> bytes = new ConcurrentHashMap<>();
        AtomicInteger completed = new AtomicInteger();
        StreamPool pool = new StreamPool((conn, first) -> new Stream() {
            @Override
            public void reassembled(ScatterGather sg) {
                bytes.computeIfAbsent(conn.index(), k -> new ByteArrayOutputStream()).writeBytes(sg.fetch(sg.length()));
            }

            @Override
            public void completed(Connection c) {
                completed.incrementAndGet();
            }
        }, AssemblerConfig.defaults());
        int threads = 4;
        int perThread = 50;
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            ts.add(Thread.ofPlatform().start(() -> {
                Assembler a = new Assembler(pool);
                TcpSegment s = new TcpSegment();
                for (int c = 0; c < perThread; c++) {
                    int port = 10000 + id * 1000 + c;
                    s.capture(0, 0).endpoints(false, 0, 1, port, 0, 2, 80).header(99, 0, TcpFlags.SYN, 0)
                            .payload(MemorySegment.ofArray(new byte[0]), 0, 0, 0);
                    a.assemble(s);
                    long seq = 100;
                    for (int k = 0; k < 20; k++) {
                        byte[] p = (port + ":" + k + ";").getBytes(StandardCharsets.US_ASCII);
                        s.header(seq, 0, TcpFlags.ACK, 0).payload(MemorySegment.ofArray(p), 0, p.length, 0);
                        a.assemble(s);
                        seq += p.length;
                    }
                    s.header(seq, 0, TcpFlags.RST, 0).payload(MemorySegment.ofArray(new byte[0]), 0, 0, 0);
                    a.assemble(s);
                }
            }));
        }
        for (Thread t : ts) {
            t.join(60_000);
        }
        // end of input for the whole pool, once every assembler is done (the RSTs left grace periods open)
        new Assembler(pool).flushAll();
        assertThat(completed.get()).isEqualTo(threads * perThread);
        assertThat(bytes).hasSize(threads * perThread);
        assertThat(bytes.keySet()).allMatch(i -> i >= 0 && i < threads * perThread);
        for (ByteArrayOutputStream b : bytes.values()) {
            String text = b.toString(StandardCharsets.US_ASCII);
            String port = text.substring(0, text.indexOf(':'));
            StringBuilder expected = new StringBuilder();
            for (int k = 0; k < 20; k++) {
                expected.append(port).append(':').append(k).append(';');
            }
            assertThat(text).isEqualTo(expected.toString());
        }
        assertThat(pool.size()).isZero();
        assertThat(pool.bufferedBytes()).isZero();
    }
}
