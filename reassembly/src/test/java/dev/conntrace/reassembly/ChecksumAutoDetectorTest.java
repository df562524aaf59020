package dev.conntrace.reassembly;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChecksumAutoDetectorTest {
    @Test
    void manyBadChecksumsEarlySwitchCheckingOff() {
        ChecksumAutoDetector d = new ChecksumAutoDetector(100, 10);
        for (int i = 0; i < 10; i++) {
            d.record(false);
            assertThat(d.checking()).isTrue();
        }
        d.record(false);
        assertThat(d.decided()).isTrue();
        assertThat(d.checking()).isFalse();
    }

    @Test
    void fewBadChecksumsKeepChecking() {
        ChecksumAutoDetector d = new ChecksumAutoDetector(100, 10);
        for (int i = 0; i < 100; i++) {
            d.record(i % 20 != 0);
        }
        assertThat(d.decided()).isTrue();
        assertThat(d.checking()).isTrue();
        assertThat(d.bad()).isEqualTo(5);
    }

    @Test
    void shortCapturesDecideOnWhatTheyHave() {
        ChecksumAutoDetector d = new ChecksumAutoDetector();
        d.record(true);
        d.record(false);
        d.decideNow();
        assertThat(d.checking()).isFalse();
        ChecksumAutoDetector none = new ChecksumAutoDetector();
        none.decideNow();
        assertThat(none.checking()).isTrue();
    }
}
