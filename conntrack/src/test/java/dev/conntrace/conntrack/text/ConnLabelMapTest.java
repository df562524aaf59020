package dev.conntrace.conntrack.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conntrace.conntrack.Flow;
import dev.conntrace.conntrack.LabelSet;
import dev.conntrace.conntrack.Tuple;
import dev.conntrace.sys.IpAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
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

    @Test
    void theFirstFileThatExistsIsReadAndNoneIsNoMap(@TempDir Path dir) throws Exception {
        Path second = dir.resolve("second.conf");
        Files.writeString(second, "3 three\n");
        assertThat(ConnLabelMap.loadFirst(List.of(dir.resolve("first.conf"), second))).get()
                .satisfies(m -> assertThat(m.bit("three")).isEqualTo(3));
        assertThat(ConnLabelMap.loadFirst(List.of(dir.resolve("first.conf")))).isEmpty();
    }

    @Test
    void aFlowsLabelsAreDescribedByNameOrBitAndPrintedByNameOnly() {
        ConnLabelMap m = ConnLabelMap.parse(CONF);
        Tuple t = Tuple.udp(IpAddress.parse("1.1.1.1"), 1, IpAddress.parse("2.2.2.2"), 2);
        Flow f = Flow.builder().original(t).labels(LabelSet.of(1, 3, 5).toBitmap()).build();
        assertThat(m.describe(f)).containsExactly("eth1-in", "3", "FIVE");
        assertThat(m.describe(Flow.builder().original(t).build())).isEmpty();
        ConntrackText.Options o = new ConntrackText.Options(false, false, false, m.names(), ZoneId.of("UTC"));
        assertThat(ConntrackText.format(f, o, 0)).endsWith(" labels=eth1-in,FIVE");
    }
}
