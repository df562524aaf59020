package dev.conntrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.cli.CtCommandTest.Run;
import dev.conntrace.sys.PrivateNamespace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SCTP and DCCP states and GRE keys against the real kernel, each test in a fresh namespace, with
 * conntrack-tools as the oracle for what is in the table and how it is printed.
 */
class CtProtocolTest {

    static PrivateNamespace namespace() throws Exception {
        return CtChangeTest.namespace();
    }

    static Run ct(PrivateNamespace ns, String... args) {
        return CtChangeTest.ct(ns, args);
    }

    /** Our {@code -o conntrack} lines (unless {@code args} name another -o) for {@code args}, without the timeout, sorted; the run must succeed. */
    static List<String> ours(PrivateNamespace ns, String... args) {
        List<String> a = new ArrayList<>(Arrays.asList(args));
        if (!a.contains("-o")) {
            a.addAll(List.of("-o", "conntrack"));
        }
        Run r = ct(ns, a.toArray(String[]::new));
        assertThat(r.status()).as(r.err()).isZero();
        return r.out().lines().map(CtKernelTest::withoutTimeout).sorted().toList();
    }

    /** conntrack's {@code -o extended} lines for {@code args}, without the timeout, sorted. */
    static List<String> theirs(PrivateNamespace ns, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("conntrack"));
        cmd.addAll(Arrays.asList(args));
        cmd.addAll(List.of("-o", "extended"));
        return ns.exec(cmd.toArray(String[]::new)).lines().map(CtKernelTest::withoutTimeout).sorted().toList();
    }

    private static final String[] SCTP = {"-p", "sctp", "-s", "10.0.0.1", "-d", "10.0.0.2", "--sport", "1000",
        "--dport", "2000"};

    private static String[] with(String[] head, String... tail) {
        String[] all = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    @Test
    void sctpStatesAreListedFilteredCreatedAndUpdatedLikeConntrack() throws Exception {
        try (PrivateNamespace ns = namespace()) {
            ns.exec("sh", "-c", "conntrack -I -p sctp -s 10.0.0.1 -d 10.0.0.2 --sport 1000 --dport 2000"
                    + " --state ESTABLISHED --orig-vtag 1 --reply-vtag 2 -t 100"
                    + " && conntrack -I -p sctp -s 10.0.0.1 -d 10.0.0.2 --sport 1001 --dport 2000"
                    + " --state COOKIE_WAIT --orig-vtag 3 --reply-vtag 4 -t 100"
                    + " && conntrack -I -p tcp -s 10.0.0.1 -d 10.0.0.2 --sport 1000 --dport 2000 --state ESTABLISHED -t 100");
            assertThat(ours(ns, "list", "-p", "sctp")).isEqualTo(theirs(ns, "-L", "-p", "sctp")).hasSize(2)
                    .anySatisfy(l -> assertThat(l).contains(" COOKIE_WAIT src=10.0.0.1"));
            assertThat(ours(ns, "list", "-p", "sctp", "--state", "ESTABLISHED"))
                    .isEqualTo(theirs(ns, "-L", "-p", "sctp", "--state", "ESTABLISHED")).singleElement().asString()
                    .contains("sport=1000");
            assertThat(ours(ns, "list", "-p", "tcp", "--state", "ESTABLISHED"))
                    .isEqualTo(theirs(ns, "-L", "-p", "tcp", "--state", "ESTABLISHED")).singleElement().asString()
                    .startsWith("ipv4 2 tcp");
            assertThat(ours(ns, "list", "-p", "sctp", "--state", "CLOSED")).isEmpty();
            // This kernel reports no CTA_SECMARK (Linux stopped in 2.6.37): no flow has one to match.
            assertThat(ours(ns, "list")).hasSize(3);
            assertThat(ours(ns, "list", "--secmark", "0")).isEmpty();

            Run created = ct(ns, "create", "-p", "sctp", "-s", "10.0.0.1", "-d", "10.0.0.2", "--sport", "1002",
                    "--dport", "2000", "--state", "COOKIE_ECHOED", "--orig-vtag", "5", "--reply-vtag", "6", "-t", "100");
            assertThat(created.status()).as(created.err()).isZero();
            assertThat(theirs(ns, "-L", "-p", "sctp", "--state", "COOKIE_ECHOED")).singleElement().asString()
                    .contains("sport=1002");

            // conntrack -U cannot change an SCTP state (the kernel wants the verification tags too); we keep them.
            Run one = ct(ns, with(with(new String[] {"update"}, SCTP), "--state", "CLOSED"));
            assertThat(one.status()).as(one.err()).isZero();
            assertThat(one.err()).isEqualTo("conntrace: 1 flow entries have been updated.\n");
            assertThat(theirs(ns, with(new String[] {"-G"}, SCTP))).singleElement().asString().contains(" CLOSED src=");
            Run all = ct(ns, "update", "-p", "sctp", "--state", "SHUTDOWN_SENT");
            assertThat(all.err()).isEqualTo("conntrace: 3 flow entries have been updated.\n");
            assertThat(theirs(ns, "-L", "-p", "sctp", "--state", "SHUTDOWN_SENT")).hasSize(3);
            assertThat(ct(ns, with(with(new String[] {"get"}, SCTP), "-o", "json")).out())
                    .contains("\"state\":\"SHUTDOWN_SENT\"");

            Run tcp = ct(ns, "update", "-p", "tcp", "-s", "10.0.0.1", "-d", "10.0.0.2", "--sport", "1000",
                    "--dport", "2000", "--state", "TIME_WAIT");
            assertThat(tcp.status()).as(tcp.err()).isZero();
            assertThat(theirs(ns, "-L", "-p", "tcp", "--state", "TIME_WAIT")).singleElement();
            // Without -p a state is TCP's; only TCP flows are changed.
            Run unnamed = ct(ns, "update", "-s", "10.0.0.1", "--state", "CLOSE");
            assertThat(unnamed.err()).isEqualTo("conntrace: 1 flow entries have been updated.\n");
            assertThat(theirs(ns, "-L", "-p", "tcp", "--state", "CLOSE")).singleElement();

            Run deleted = ct(ns, "delete", "-p", "sctp", "--state", "SHUTDOWN_SENT");
            assertThat(deleted.err()).isEqualTo("conntrace: 3 flow entries have been deleted.\n");
            assertThat(theirs(ns, "-L", "-p", "sctp")).isEmpty();
        }
    }

    /**
     * Linux 6.16 removed DCCP, its conntrack tracker with it: on such kernels {@code conntrack -I -p
     * dccp} makes a generic entry, without ports or state, and so does ours; both list it alike.
     */
    @Test
    void dccpFlowsAreCreatedAndListedLikeConntrack() throws Exception {
        try (PrivateNamespace ns = namespace()) {
            Run created = ct(ns, "create", "-p", "dccp", "-s", "10.0.0.1", "-d", "10.0.0.2", "--sport", "1000",
                    "--dport", "2000", "--state", "OPEN", "--role", "client", "-t", "100");
            assertThat(created.status()).as(created.err()).isZero();
            List<String> listed = theirs(ns, "-L");
            assertThat(ours(ns, "list")).isEqualTo(listed).singleElement().asString().contains(" dccp ");
            assertThat(ours(ns, "list", "-p", "dccp", "--state", "OPEN"))
                    .isEqualTo(theirs(ns, "-L", "-p", "dccp", "--state", "OPEN"));
            if (listed.getFirst().contains(" OPEN ")) { // a kernel that still tracks DCCP
                assertThat(ours(ns, "list", "-p", "dccp", "--state", "OPEN")).singleElement();
            }
        }
    }

    private static final String[] GRE = {"-p", "gre", "-s", "10.0.0.1", "-d", "10.0.0.2", "--srckey", "0x11",
        "--dstkey", "0x22"};

    /**
     * GRE keys ride in the tuple's port attributes. conntrack 1.4.7 creates, gets and deletes by them
     * but does not filter on them; we do, so filters are checked against the flows' own keys.
     */
    @Test
    void greKeysAreCreatedListedFilteredAndDeletedLikeConntrack() throws Exception {
        try (PrivateNamespace ns = namespace()) {
            ns.exec("sh", "-c", "conntrack -I -p gre -s 10.0.0.1 -d 10.0.0.3 --srckey 7 --dstkey 8 -t 100");
            Run created = ct(ns, with(with(new String[] {"create"}, GRE), "-t", "100"));
            assertThat(created.status()).as(created.err()).isZero();
            Run other = ct(ns, "-I", "-p", "gre", "-s", "10.0.0.1", "-d", "10.0.0.4", "--orig-key-src", "1",
                    "--orig-key-dst", "2", "--reply-key-src", "9", "--reply-key-dst", "1", "-t", "100");
            assertThat(other.status()).as(other.err()).isZero();
            List<String> all = theirs(ns, "-L");
            assertThat(ours(ns, "list")).isEqualTo(all).hasSize(3)
                    .contains("ipv4 2 gre 47 src=10.0.0.1 dst=10.0.0.2 srckey=0x11 dstkey=0x22 [UNREPLIED]"
                            + " src=10.0.0.2 dst=10.0.0.1 srckey=0x22 dstkey=0x11 mark=0 use=1")
                    .anySatisfy(l -> assertThat(l).contains("dst=10.0.0.4 srckey=0x1 dstkey=0x2 [UNREPLIED]"
                            + " src=10.0.0.4 dst=10.0.0.1 srckey=0x9 dstkey=0x1"));
            Run got = ct(ns, with(with(new String[] {"get"}, GRE), "-o", "conntrack"));
            assertThat(got.out().lines().map(CtKernelTest::withoutTimeout).toList())
                    .isEqualTo(theirs(ns, with(new String[] {"-G"}, GRE))).hasSize(1);
            assertThat(ours(ns, "list", "-p", "gre", "--srckey", "7")).singleElement().asString()
                    .contains("dst=10.0.0.3 srckey=0x7");
            assertThat(ours(ns, "list", "-p", "gre", "--reply-key-src", "9")).singleElement().asString()
                    .contains("dst=10.0.0.4");
            assertThat(ours(ns, "list", "-p", "gre", "--dstkey", "0x22", "--srckey", "0x12")).isEmpty();
            Run table = ct(ns, with(with(new String[] {"get"}, GRE), "-o", "table"));
            assertThat(table.out()).contains("10.0.0.1:0x11 -> 10.0.0.2:0x22");
            Run json = ct(ns, with(with(new String[] {"get"}, GRE), "-o", "json"));
            assertThat(json.out()).contains("\"orig\":{\"src\":\"10.0.0.1\",\"dst\":\"10.0.0.2\",\"srckey\":17,\"dstkey\":34}");

            Run deleted = ct(ns, with(new String[] {"delete"}, GRE));
            assertThat(deleted.status()).as(deleted.err()).isZero();
            assertThat(deleted.err()).isEqualTo("conntrace: 1 flow entries have been deleted.\n");
            assertThat(theirs(ns, "-L")).hasSize(2).noneMatch(l -> l.contains("srckey=0x11"));
            Run byKey = ct(ns, "delete", "-p", "gre", "--dstkey", "8");
            assertThat(byKey.err()).isEqualTo("conntrace: 1 flow entries have been deleted.\n");
            assertThat(theirs(ns, "-L")).singleElement().asString().contains("dst=10.0.0.4");
        }
    }
}
