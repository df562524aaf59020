package dev.conntrace.sockets.diag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The lookup cache's table against a {@link LinkedHashMap} in access order, and its expiry and bounds. */
class TupleCacheTest {
    private static final long LATER = Long.MAX_VALUE / 2;

    /** A key of the table, as a model key: the fields the table compares. */
    private record Key(int tag, long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {}

    private static Key key(Random r, int spread) {
        // few distinct values per field: keys differ in one field only, and probe runs form
        return new Key(r.nextInt(3), r.nextInt(2), r.nextInt(spread), r.nextInt(3) * 30000, r.nextInt(2), r.nextInt(3),
                r.nextInt(2) * 65535);
    }

    private static String get(TupleCache<String> c, Key k, long now) {
        return c.get(k.tag, k.aHi, k.aLo, k.aPort, k.bHi, k.bLo, k.bPort, now);
    }

    private static void put(TupleCache<String> c, Key k, String v, long expires) {
        c.put(k.tag, k.aHi, k.aLo, k.aPort, k.bHi, k.bLo, k.bPort, v, expires);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void behavesAsAnLruMapOfTheSameCapacity(long seed) {
        Random r = new Random(seed);
        int capacity = 1 + r.nextInt(40);
        TupleCache<String> table = new TupleCache<>(capacity, seed);
        Map<Key, String> model = new LinkedHashMap<>(16, 0.75f, true);
        long evicted = 0;
        for (int step = 0; step < 20_000; step++) {
            Key k = key(r, 8);
            switch (r.nextInt(5)) {
                case 0, 1 -> {
                    String v = "v" + step;
                    put(table, k, v, LATER);
                    if (!model.containsKey(k) && model.size() == capacity) {
                        model.remove(model.keySet().iterator().next());
                        evicted++;
                    }
                    model.put(k, v);
                }
                case 2 -> { // an expired key is removed when asked for
                    if (model.containsKey(k)) {
                        put(table, k, "old", 10);
                        model.put(k, "old");
                        assertThat(get(table, k, 10)).isNull();
                        model.remove(k);
                    }
                }
                case 3 -> {
                    if (r.nextInt(500) == 0) {
                        table.clear();
                        model.clear();
                    }
                }
                default -> assertThat(get(table, k, 0)).as("step %d, key %s", step, k).isEqualTo(model.get(k));
            }
            assertThat(table.size()).isEqualTo(model.size()).isLessThanOrEqualTo(capacity);
        }
        assertThat(table.evictions()).isEqualTo(evicted);
        for (Key k : model.keySet().toArray(Key[]::new)) { // every key the model holds is still reachable
            assertThat(get(table, k, 0)).isEqualTo(model.get(k));
        }
    }

    @Test
    void entriesExpireAtTheirTimeAndNotBefore() {
        TupleCache<String> c = new TupleCache<>(4, 7);
        Key k = new Key(1, 0, 0x0A00_0001L, 443, 0, 0x0A00_0002L, 40000);
        put(c, k, "x", 1_000);
        assertThat(get(c, k, 999)).isEqualTo("x");
        assertThat(get(c, k, 1_000)).isNull();
        assertThat(c.size()).isZero();
        put(c, k, "y", Long.MIN_VALUE + 5); // nanoTime wraps: compared by difference
        assertThat(get(c, k, Long.MAX_VALUE)).isEqualTo("y");
    }

    @Test
    void fullTableEvictsTheLeastRecentlyUsedKey() {
        TupleCache<String> c = new TupleCache<>(3, 1);
        Key[] k = new Key[4];
        for (int i = 0; i < k.length; i++) {
            k[i] = new Key(1, 0, i, 80, 0, 0, 0);
        }
        put(c, k[0], "0", LATER);
        put(c, k[1], "1", LATER);
        put(c, k[2], "2", LATER);
        assertThat(get(c, k[0], 0)).isEqualTo("0"); // k[1] is now the least recently used
        put(c, k[3], "3", LATER);
        assertThat(c.evictions()).isEqualTo(1);
        assertThat(get(c, k[1], 0)).isNull();
        assertThat(get(c, k[0], 0)).isEqualTo("0");
        assertThat(get(c, k[2], 0)).isEqualTo("2");
        assertThat(get(c, k[3], 0)).isEqualTo("3");
    }

    @Test
    void growsToItsCapacityAndNoFurther() {
        TupleCache<String> c = new TupleCache<>(1000, 3);
        for (int i = 0; i < 5000; i++) {
            c.put(1, 0, i, i & 0xFFFF, 0, 0, 0, Integer.toString(i), LATER);
        }
        assertThat(c.size()).isEqualTo(1000);
        assertThat(c.evictions()).isEqualTo(4000);
        for (int i = 0; i < 5000; i++) {
            assertThat(c.get(1, 0, i, i & 0xFFFF, 0, 0, 0, 0)).isEqualTo(i >= 4000 ? Integer.toString(i) : null);
        }
    }

    @Test
    void capacityOutOfRangeIsRefused() {
        assertThatThrownBy(() -> new TupleCache<String>(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TupleCache<String>(TupleCache.MAX_CAPACITY + 1, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
