package dev.conntrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.cli.CtCommandTest.Run;
import dev.conntrace.conntrack.text.ConnLabelMap;
import dev.conntrace.sys.PrivateNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Label names from a connlabel.conf: printed as conntrack prints them ({@code -o extended,labels},
 * or whenever label options make it read the names), shown in the table and in JSON.
 */
class CtLabelNamesTest {
    private static final String CONF = "1 alpha\n5 beta\n70 gamma\n";

    private static final String[] UDP = {"-p", "udp", "-s", "10.0.0.1", "-d", "10.0.0.2", "--sport", "1000",
        "--dport", "2000"};

    private static String[] with(String[] head, String... tail) {
        String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    private static PrivateNamespace labelledNamespace() throws Exception {
        PrivateNamespace ns = CtProtocolTest.namespace();
        // Connection labels exist once a rule uses them.
        ns.exec("nft", "add", "rule", "inet", "t", "c", "udp", "dport", "4343", "ct", "label", "set", "3");
        ns.exec("sh", "-c", "conntrack -I -p udp -s 10.0.0.1 -d 10.0.0.2 --sport 1001 --dport 2000 -t 100");
        return ns;
    }

    @Test
    void namesFromTheGivenFileInEveryFormat(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("connlabel.conf");
        Files.writeString(conf, CONF);
        String file = conf.toString();
        try (PrivateNamespace ns = labelledNamespace()) {
            Run created = CtProtocolTest.ct(ns, with(with(new String[] {"create"}, UDP), "-t", "100", "--connlabel", file,
                    "--label-add", "alpha,gamma,3"));
            assertThat(created.status()).as(created.err()).isZero();

            List<String> lines = CtProtocolTest.ours(ns, "list", "-o", "conntrack,labels", "--connlabel", file);
            assertThat(lines).hasSize(2).anySatisfy(l -> assertThat(l).contains("sport=1000").endsWith(" use=1 labels=alpha,gamma"))
                    .anySatisfy(l -> assertThat(l).contains("sport=1001").endsWith(" use=1"));
            assertThat(CtProtocolTest.ours(ns, "list", "-l", "beta,3", "--connlabel", file)).isEmpty();
            assertThat(CtProtocolTest.ours(ns, "list", "-l", "gamma", "--connlabel", file)).singleElement().asString()
                    .endsWith(" labels=alpha,gamma");
            assertThat(CtProtocolTest.ours(ns, "list", "--connlabel", file)).as("plain -o conntrack, as -o extended")
                    .noneMatch(l -> l.contains("labels="));

            Run table = CtProtocolTest.ct(ns, "list", "--connlabel", file);
            assertThat(table.out().lines().toList()).hasSize(3)
                    .anySatisfy(l -> assertThat(l).startsWith("PROTO").endsWith(" LABELS"))
                    .anySatisfy(l -> assertThat(l).contains("10.0.0.1:1000").endsWith(" alpha,3,gamma"))
                    .anySatisfy(l -> assertThat(l).contains("10.0.0.1:1001").endsWith(" -"));
            Run json = CtProtocolTest.ct(ns, "list", "-l", "alpha", "-o", "json", "--connlabel", file);
            assertThat(json.out()).contains("\"labels\":\"0a000000000000004000000000000000\",\"label_names\":[\"alpha\",\"3\",\"gamma\"]");

            Run update = CtProtocolTest.ct(ns, with(with(new String[] {"update"}, UDP), "--connlabel", file,
                    "--label-del", "gamma"));
            assertThat(update.status()).as(update.err()).isZero();
            assertThat(CtProtocolTest.ours(ns, "list", "-l", "alpha", "--connlabel", file)).singleElement().asString()
                    .endsWith(" labels=alpha");
            // The kernel reports events only for flows made while someone listens: make new flows, label
            // each, until the listener has seen a label change.
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            Thread change = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 20 && !done.get(); i++) {
                    try {
                        Thread.sleep(400);
                    } catch (InterruptedException e) {
                        return;
                    }
                    String[] flow = {"-p", "udp", "-s", "10.0.0.9", "-d", "10.0.0.2", "--sport", Integer.toString(3000 + i),
                        "--dport", "2000", "--connlabel", file};
                    CtProtocolTest.ct(ns, with(with(new String[] {"create"}, flow), "-t", "100", "--label-add", "alpha"));
                    CtProtocolTest.ct(ns, with(with(new String[] {"update"}, flow), "--label-add", "beta"));
                }
            });
            Run events = CtProtocolTest.ct(ns, "events", "-o", "conntrack,labels", "--connlabel", file, "-s", "10.0.0.9",
                    "-e", "UPDATE", "--count", "1", "--seconds", "10");
            done.set(true);
            change.join(10_000);
            assertThat(events.status()).as(events.err()).isZero();
            assertThat(events.out().lines()).singleElement().asString().startsWith(" [UPDATE] udp      17 ")
                    .contains(" labels=alpha,beta [USERSPACE] portid=");

            Run missing = CtProtocolTest.ct(ns, "list", "-o", "conntrack,labels", "--connlabel", dir.resolve("nope").toString());
            assertThat(missing.status()).isEqualTo(2);
            assertThat(missing.err().strip().lines()).singleElement().asString().contains("nope");
        }
    }

    /**
     * conntrack reads only the system's files: with one of them, compare with it; without, put ours at
     * the first place it looks for the length of the test and remove it (and a directory made for it) after.
     */
    @Test
    void namesAsConntrackPrintsThem() throws Exception {
        Path system = ConnLabelMap.DEFAULT_PATHS.stream().filter(Files::isRegularFile).findFirst().orElse(null);
        Path made = null;
        Path madeDir = null;
        try (PrivateNamespace ns = labelledNamespace()) {
            String names;
            if (system == null) {
                made = ConnLabelMap.DEFAULT_PATHS.getFirst();
                if (!Files.isDirectory(made.getParent())) {
                    madeDir = Files.createDirectory(made.getParent());
                }
                Files.writeString(made, CONF, java.nio.file.StandardOpenOption.CREATE_NEW);
                names = "alpha,gamma";
            } else {
                ConnLabelMap map = ConnLabelMap.load(system);
                List<String> named = new java.util.ArrayList<>();
                for (int bit = 0; bit < 128 && named.size() < 2; bit++) {
                    if (map.name(bit) != null && map.bit(map.name(bit)) == bit) {
                        named.add(Integer.toString(bit));
                    }
                }
                org.junit.jupiter.api.Assumptions.assumeFalse(named.isEmpty(), system + " names no label");
                names = String.join(",", named);
            }
            Run created = CtProtocolTest.ct(ns, with(with(new String[] {"create"}, UDP), "-t", "100", "--label-add",
                    names));
            assertThat(created.status()).as(created.err()).isZero();
            assertThat(CtProtocolTest.ours(ns, "list", "-o", "conntrack,labels"))
                    .isEqualTo(CtProtocolTest.theirs(ns, "-L", "-o", "labels")).hasSize(2)
                    .anySatisfy(l -> assertThat(l).contains(" labels="));
            String first = names.split(",")[0];
            assertThat(CtProtocolTest.ours(ns, "list", "-l", first))
                    .isEqualTo(CtProtocolTest.theirs(ns, "-L", "-l", first)).singleElement().asString().contains(" labels=");
        } finally {
            if (made != null) {
                Files.deleteIfExists(made);
            }
            if (madeDir != null) {
                Files.deleteIfExists(madeDir);
            }
        }
    }
}
