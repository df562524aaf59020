package dev.conntrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.sys.PrivateNamespace;
import dev.conntrace.sys.testing.Prerequisites;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CtCommandTest {

    /** Exit status, stdout and stderr of one run. */
    record Run(int status, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    @ParameterizedTest
    @CsvSource({
        "-f, ipv5, 'ipv5'",
        "--proto, tcpx, 'tcpx'",
        "--mark, 12x, '12x'",
        "--mark, 1/zz, '1/zz'",
        "--zone, 70000, '70000'",
        "-o, xml, 'xml'",
        "-s, 1.2.3.400, '1.2.3.400'",
        "-d, 10.0.0.0/33, '10.0.0.0/33'",
        "-r, fe80::zz, 'fe80::zz'",
        "-q, host, 'host'",
        "--sport, 70000, '70000'",
        "--dport, -1, '-1'",
        "--reply-port-src, http, 'http'",
        "--state, ESTABLISHEDX, 'ESTABLISHEDX'",
        "--status, 'ASSURED,NOPE', 'NOPE'",
        "-u, SEEN, 'SEEN'",
        "--src-nat, 1.2.3, '1.2.3'",
        "--src-nat, 1.2.3.4:70000, '70000'",
        "--dst-nat, '[2001:db8::1:80', '[2001:db8::1:80'",
        "--any-nat, 1.2.3.4:, '1.2.3.4:'",
        "--dst-nat, '[1.2.3.4]:80', '[1.2.3.4]:80'",
        "--mark, 0x1ffffffff, '0x1ffffffff'",
    })
    void badInputIsOneLineNamingTheValueAndStatusTwo(String option, String value, String named) {
        Run r = run("ct", "list", option, value);
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip().lines()).singleElement().asString().contains(named).startsWith("conntrace: ");
        assertThat(r.out()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "get -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 1 | --dport",
        "get -s 1.1.1.1 -d 2.2.2.2 | -p",
        "get -p icmp -s 1.1.1.1 -d 2.2.2.2 --icmp-type 8 | --icmp-code, --icmp-id",
        "get -p tcp -s 1.1.1.1 -d ::1 --sport 1 --dport 2 | different families",
        "get -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2 --src-nat | --src-nat",
        "create -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2 | -t/--timeout",
        "create -p udp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2 -t 9 --state SYN_SENT | -p tcp",
        "create -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2 -t 9 -m 1/2 | without mask",
        "create -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2 -t x | 'x'",
        "update -p tcp | -m/--mark",
        "update -p sctp --state OPEN -s 1.1.1.1 | 'OPEN'",
        "list -p tcp --srckey 1 | -p gre",
        "list --secmark 0x1zz | '0x1zz'",
        "create -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2 -t 9 --secmark 1 | --secmark",
        "list -p gre --sport 1 | --srckey",
        "list -p gre --srckey 0x12345 | '0x12345'",
        "get -p gre -s 1.1.1.1 -d 2.2.2.2 --srckey 1 | --dstkey",
        "create -p gre -s 1.1.1.1 -d 2.2.2.2 --srckey 1 --dstkey 2 --reply-key-src x -t 9 | 'x'",
        "list -p sctp --state SYN_SENT | 'SYN_SENT'",
        "list -p dccp --state ESTABLISHED | 'ESTABLISHED'",
        "list -p udp --state ESTABLISHED | -p udp",
        "create -p dccp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2 -t 9 --state OPEN | --role",
        "create -p dccp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2 -t 9 --state OPEN --role boss | 'boss'",
        "create -p sctp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2 -t 9 --state CLOSED --orig-vtag x | 'x'",
        "create -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2 -t 9 --state CLOSE --orig-vtag 1 | --orig-vtag",
        "create -p sctp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2 -t 9 --reply-vtag 1 | --state",
        "list --icmp-type 8 | --icmp-type",
        "events -s 1.1.1.x | '1.1.1.x'",
        "events -e NEW,CHANGE | 'CHANGE'",
        "delete --sport 99999 | '99999'",
        "list --bogus | --bogus",
        "flush -f ipv7 | 'ipv7'",
        "expect list -f ipv7 | 'ipv7'",
        "expect list -o xml | 'xml'",
        "get -p tcp -s 1.1.1.x -d 2.2.2.2 --sport 1 --dport 2 | '1.1.1.x'",
        "get -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2 --reply-zone 3 | --reply-zone",
        "create -p tcpx -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2 -t 9 | 'tcpx'",
        "create -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2 -t 9 --state BAD | 'BAD'",
        "create -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2 -t 9 --orig-zone z | 'z'",
        "create -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2 -t 9 --label-del 1 | --label-del",
        "create -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2 -t 9 --label-add 200 | '200'",
        "delete -m 0xzz | '0xzz'",
        "list --orig-zone 70000 | '70000'",
        "list --reply-zone -1 | '-1'",
        "list -l no-such-label | 'no-such-label'",
        "list --label 1,128 | '128'",
        "list --label-add 1 | --label-add",
        "update -p tcp --label-add 1 --label-del 2 | cannot be used together",
        "expect create -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 21 | --tuple-src, --tuple-dst",
        "expect create -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 21 --tuple-src ::1 --tuple-dst 2.2.2.2 --tuple-port-src 0 --tuple-port-dst 9 | '::1'",
        "expect create -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 21 --tuple-src 1.1.1.1 --tuple-dst 2.2.2.2 --tuple-port-src 0 --tuple-port-dst 99999 | '99999'",
        "expect create -p icmp -s 1.1.1.1 -d 2.2.2.2 --icmp-type 8 --icmp-code 0 --icmp-id 1 | --icmp-type",
        "expect events -e NEW,CHANGE | 'CHANGE'",
        "expect events -o xml | 'xml'",
    })
    void badCommandLinesAreOneLineAndStatusTwo(String args, String named) {
        List<String> a = new java.util.ArrayList<>(List.of("ct"));
        a.addAll(Arrays.asList(args.split(" ")));
        a.addAll(List.of("--netns", "ct-does-not-exist-0"));
        Run r = run(a.toArray(String[]::new));
        assertThat(r.status()).as(r.err()).isEqualTo(2);
        assertThat(r.err().strip().lines()).singleElement().asString().startsWith("conntrace: ").contains(named);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void unknownNamespaceIsOneLineAndStatusOne() {
        Run r = run("ct", "count", "--netns", "ct-does-not-exist-0");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err().strip().lines()).singleElement().asString().contains("ct-does-not-exist-0");
    }

    @Test
    void permissionErrorsSayWhatIsNeededAndStatusOne() {
        StringWriter err = new StringWriter();
        picocli.CommandLine list = Main.commandLine().getSubcommands().get("ct").getSubcommands().get("list");
        list.setErr(new PrintWriter(err));
        var e = new dev.conntrace.netlink.NetlinkException("conntrack dump", dev.conntrace.sys.Errno.EPERM, 7, null,
                dev.conntrace.netlink.NetlinkException.NO_OFFSET);
        assertThat(CtCommand.fail(list.getCommandSpec(), new CtCommand.Where(), e)).isEqualTo(1);
        assertThat(err.toString().strip().lines()).singleElement().asString()
                .contains("root or CAP_NET_ADMIN").contains("EPERM");
    }

    @Test
    void withoutCapNetAdminACommandSaysWhatItNeedsAndStatusOne() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireTool("setpriv");
        String javaCommand = ProcessHandle.current().info().command().orElseThrow();
        // Root without CAP_NET_ADMIN: nfnetlink refuses every request with EPERM.
        Process p = new ProcessBuilder("setpriv", "--bounding-set", "-net_admin", "--inh-caps", "-net_admin", javaCommand,
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.conntrace.cli.Main", "ct", "count").redirectErrorStream(false).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(err).isEqualTo(1);
        assertThat(out).isEmpty();
        assertThat(err.strip().lines()).singleElement().asString()
                .isEqualTo("conntrace: conntrack needs root or CAP_NET_ADMIN (EPERM)");
    }

    @ParameterizedTest
    @CsvSource({
        "93, nf_conntrack_netlink",
        "95, nf_conntrack_netlink",
        "2, no such flow",
        "17, already exists",
        "13, root or CAP_NET_ADMIN",
        "28, no rule uses 'ct label'",
    })
    void kernelErrorsAreOneLineSayingWhatIsWrong(int errno, String says) {
        StringWriter err = new StringWriter();
        picocli.CommandLine get = Main.commandLine().getSubcommands().get("ct").getSubcommands().get("get");
        get.setErr(new PrintWriter(err));
        var e = new dev.conntrace.netlink.NetlinkException("conntrack get", errno, 7, null,
                dev.conntrace.netlink.NetlinkException.NO_OFFSET);
        assertThat(CtCommand.fail(get.getCommandSpec(), new CtCommand.Where(), e)).isEqualTo(1);
        assertThat(err.toString().strip().lines()).singleElement().asString().startsWith("conntrace: ").contains(says);
    }

    private static String withoutTimeout(String line) {
        List<String> t = new java.util.ArrayList<>(Arrays.asList(line.strip().split(" +")));
        t.remove(4);
        return String.join(" ", t);
    }

    @Test
    void listsAndCountsLikeConntrack() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireTool("nft");
        Prerequisites.requireTool("conntrack");
        try (PrivateNamespace ns = PrivateNamespace.create()) {
            ns.exec("sh", "-c", "nft add table inet t && nft add chain inet t c '{ type filter hook output priority 0; }'"
                    + " && nft add rule inet t c ct state new accept"
                    + " && conntrack -I -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2 --state ESTABLISHED -t 100 -u ASSURED"
                    + " && conntrack -I -p udp -s 2001:db8::1 -d 2001:db8::2 --sport 5 --dport 53 -t 50 -m 7 -w 3"
                    + " && conntrack -I -p icmp -s 1.1.1.1 -d 2.2.2.2 --icmp-type 8 --icmp-code 0 --icmp-id 7 -t 30 -m 7");
            Run lines = run("ct", "-L", "--netns", ns.name(), "-o", "conntrack");
            assertThat(lines.status()).as(lines.err()).isZero();
            List<String> ours = lines.out().lines().map(CtCommandTest::withoutTimeout).sorted().toList();
            List<String> theirs = ns.exec("conntrack", "-L", "-o", "extended").lines()
                    .map(CtCommandTest::withoutTimeout).sorted().toList();
            assertThat(ours).hasSize(3).isEqualTo(theirs);

            Run marked = run("ct", "list", "--netns", ns.name(), "-o", "json", "--mark", "7", "-f", "ipv4");
            assertThat(marked.out().strip().lines()).singleElement().asString()
                    .startsWith("{\"family\":\"ipv4\",\"proto\":\"icmp\"").contains("\"mark\":7")
                    .contains("\"orig\":{\"src\":\"1.1.1.1\",\"dst\":\"2.2.2.2\",\"type\":8,\"code\":0,\"id\":7}")
                    .contains("\"reply\":{\"src\":\"2.2.2.2\",\"dst\":\"1.1.1.1\",\"type\":0,\"code\":0,\"id\":7}");

            Run table = run("ct", "list", "--netns", ns.name(), "-p", "tcp");
            assertThat(table.out().lines()).hasSize(2);
            assertThat(table.out().lines().toList().get(1)).contains("ESTABLISHED", "1.1.1.1:1 -> 2.2.2.2:2");

            Thread creator = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(700);
                    ns.exec("conntrack", "-I", "-p", "udp", "-s", "3.3.3.3", "-d", "4.4.4.4", "--sport", "7",
                            "--dport", "8", "-t", "30");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Run events = run("ct", "-E", "--netns", ns.name(), "--count", "1", "--seconds", "10");
            creator.join(10_000);
            assertThat(events.status()).as(events.err()).isZero();
            assertThat(events.out().lines()).singleElement().asString()
                    .startsWith("    [NEW] udp      17 30 src=3.3.3.3 dst=4.4.4.4 sport=7 dport=8 [UNREPLIED]")
                    .containsPattern(" mark=0 \\[USERSPACE\\] portid=\\d+$");

            Run count = run("ct", "-C", "--netns", ns.name());
            assertThat(count.out().strip()).isEqualTo(ns.exec("conntrack", "-C").strip()).isEqualTo("4");
        }
    }
}
