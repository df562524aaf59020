package dev.conntrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(args).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int status = cl.execute(args);
        return new String[] {Integer.toString(status), out.toString(), err.toString()};
    }

    @Test
    void withoutCommandListsConnectionsAsSocketsDoes() {
        String[] main = run();
        String[] sockets = run("sockets");
        assertThat(main[0]).isEqualTo("0");
        assertThat(main[1]).startsWith("Netid State");
        // The same header and columns as the sockets command (the rows may change between the two calls).
        assertThat(main[1].lines().findFirst()).isEqualTo(sockets[1].lines().findFirst());
    }

    @Test
    void buildsOnlyTheCommandsTheArgumentsReach() {
        assertThat(Main.reachable(new String[] {"ct", "list"})).containsExactly(CtCommand.class);
        assertThat(Main.reachable(new String[] {"ss"})).isEqualTo(Main.reachable(new String[] {"sockets"}));
        assertThat(Main.reachable(new String[] {})).containsExactly(SocketsCommand.class);
        assertThat(Main.reachable(new String[] {"--version"})).isEmpty();
        assertThat(Main.reachable(new String[] {"--help"})).hasSize(6);
        assertThat(Main.reachableCt(new String[] {"ct", "list", "-o", "json"})).containsExactly(CtListCommand.class);
        assertThat(Main.reachableCt(new String[] {"ct", "-C"})).containsExactly(CtCountCommand.class);
        assertThat(Main.reachableCt(new String[] {"ct", "--help"})).containsExactlyElementsOf(CtCommand.SUBCOMMANDS).contains(CtTrackCommand.class);
        assertThat(Main.reachableCt(new String[] {"ct"})).containsExactlyElementsOf(CtCommand.SUBCOMMANDS).contains(CtTrackCommand.class);
        assertThat(run("ct", "-L", "--help")[1]).contains("--output");
        assertThat(run("ct", "--help")[1]).contains("list", "count", "expect");
        String[] help = run("--help");
        assertThat(help[1]).contains("ct", "sockets", "lookup", "streams", "capture", "dns");
        String[] unknown = run("nosuchcommand");
        assertThat(unknown[0]).isEqualTo("2");
    }

    @Test
    void versionNamesTheProgram() {
        String[] v = run("--version");
        assertThat(v[0]).isEqualTo("0");
        assertThat(v[1]).startsWith("conntrace ");
    }

    @Test
    void unknownOptionIsOneLineAndStatusTwo() {
        String[] r = run("--no-such-option");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2].strip().lines()).hasSize(1).first().asString().startsWith("conntrace: ").contains("--no-such-option");
    }
}
