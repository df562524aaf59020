package dev.conntrace.conntrack.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conntrace.conntrack.LabelSet;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnLabelMapTest {
    private static final String CONF = """
            # connlabel.conf: bit name
            0\teth0-in
            1 eth1-in   # trailing comment
            not-a-bit name
            200 too-high
            5 five
            5 FIVE
            """;

    @Test
    void namesAndNumbersParseIntoBits() {
        ConnLabelMap m = ConnLabelMap.parse(CONF);
        assertThat(m.bit("eth0-in")).isZero();
        assertThat(m.bit("eth1-in")).isEqualTo(1);
        assertThat(m.bit("five")).as("a later line for a bit wins").isEqualTo(-1);
        assertThat(m.bit("FIVE")).isEqualTo(5);
        assertThat(m.bit("too-high")).isEqualTo(-1);
        assertThat(m.name(1)).isEqualTo("eth1-in");
        assertThat(m.names()).hasSize(6).containsExactly("eth0-in", "eth1-in", null, null, null, "FIVE");
        assertThat(m.labels("eth1-in,FIVE,100")).isEqualTo(LabelSet.of(1, 5, 100));
        assertThatThrownBy(() -> m.labels("eth2-in")).hasMessageContaining("'eth2-in'");
        assertThatThrownBy(() -> m.labels("128")).hasMessageContaining("'128'");
        assertThatThrownBy(() -> m.labels("1,,2")).hasMessageContaining("''");
        assertThatThrownBy(() -> ConnLabelMap.EMPTY.labels("ssh")).hasMessageContaining("'ssh'").hasMessageContaining("bit number");
        assertThat(ConnLabelMap.EMPTY.labels("0,127")).isEqualTo(LabelSet.of(0, 127));
    }

    @Test
    void loadReadsAFileAndAMissingOneIsEmpty(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("connlabel.conf");
        Files.writeString(conf, CONF);
        assertThat(ConnLabelMap.load(conf).bit("eth0-in")).isZero();
        assertThat(ConnLabelMap.load(dir.resolve("missing")).names()).isEmpty();
    }
}
