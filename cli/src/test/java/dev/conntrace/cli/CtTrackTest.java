package dev.conntrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.cli.CtCommandTest.Run;
import dev.conntrace.sys.PrivateNamespace;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code ct track} in a fresh namespace: flows from the first dump, flows that came and went between prints. */
class CtTrackTest {

    @Test
    void showsActiveAndEndedConnections() throws Exception {
        try (PrivateNamespace ns = CtChangeTest.namespace()) {
            // there before the tracker starts: known from its first dump
            ns.exec("sh", "-c", "conntrack -I -p udp -s 10.0.0.1 -d 10.0.0.2 --sport 1 --dport 2 -t 60"
                    + " && conntrack -I -p icmp -s 10.0.0.1 -d 10.0.0.2 --icmp-type 8 --icmp-code 0 --icmp-id 7 -t 60"
                    + " && conntrack -I -p udp -s 10.9.9.9 -d 10.0.0.2 --sport 1 --dport 2 -t 60");
            Thread changes = Thread.ofPlatform().start(() -> {
                try {
                    CtChangeTest.awaitListeners(ns, 3, 1); // NFNLGRP_CONNTRACK_DESTROY: the tracker subscribed
                    Thread.sleep(700); // and dumped the table (three flows)
                    // opened and closed between two prints: a listing never shows it, the tracker must
                    ns.exec("sh", "-c", "conntrack -I -p tcp -s 10.0.0.3 -d 10.0.0.4 --sport 5 --dport 6"
                            + " --state ESTABLISHED -t 60 && conntrack -D -p tcp -s 10.0.0.3"
                            + " && conntrack -D -p udp -s 10.0.0.1");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Run json = CtChangeTest.ct(ns, "track", "-o", "json", "--interval", "0.5", "--seconds", "4", "-p", "udp");
            changes.join(10_000);
            assertThat(json.status()).as(json.err()).isZero();
            List<String> lines = json.out().lines().toList();
            // the first dump's UDP flows are active; ICMP is not tracked; the filter (-p udp) leaves TCP out;
            // 10.0.0.1 was there before the tracker, so the kernel sends no DESTROY for it (nf_conntrack_events=2):
            // a later dump finds it gone
            assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"src\":\"10.0.0.1\"")
                    .contains("\"track\":{\"active\":true,\"reconciled\":false,\"first_seen\":"));
            assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"src\":\"10.9.9.9\"").contains("\"active\":true"));
            assertThat(lines).allSatisfy(l -> assertThat(l).contains("\"proto\":\"udp\""));
            assertThat(lines).filteredOn(l -> l.contains("\"active\":false")).singleElement().asString()
                    .contains("\"src\":\"10.0.0.1\"").contains("\"reconciled\":true").contains("\"ended\":");
        }
    }

    @Test
    void reportsAConnectionThatOpenedAndClosedBetweenPrints() throws Exception {
        try (PrivateNamespace ns = CtChangeTest.namespace()) {
            Thread changes = Thread.ofPlatform().start(() -> {
                try {
                    CtChangeTest.awaitListeners(ns, 3, 1);
                    Thread.sleep(300);
                    ns.exec("sh", "-c", "conntrack -I -p tcp -s 10.0.0.3 -d 10.0.0.4 --sport 5 --dport 6"
                            + " --state ESTABLISHED -t 60 && conntrack -D -p tcp -s 10.0.0.3");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Run table = CtChangeTest.ct(ns, "track", "--interval", "0.5", "--seconds", "3");
            changes.join(10_000);
            assertThat(table.status()).as(table.err()).isZero();
            List<String> lines = table.out().lines().toList();
            assertThat(lines.get(0)).matches("\\S+Z: 0 active, 0 ended \\(~: inferred from a dump\\)");
            assertThat(lines.get(1)).startsWith("CONN    PROTO   STATE");
            assertThat(lines).filteredOn(l -> l.contains("10.0.0.3:5 -> 10.0.0.4:6")).singleElement().asString()
                    .startsWith("ENDED   tcp     ESTABLISHED");
            assertThat(lines).noneSatisfy(l -> assertThat(l).startsWith("ACTIVE"));
        }
    }

    @Test
    void refusesABadInterval() {
        Run bad = CtCommandTest.run("ct", "track", "--interval", "0.001");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("--interval: invalid value '0.001'");
    }
}
