package dev.conntrace.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Entry point of the {@code conntrace} command. */
@Command(name = "conntrace", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Shows this host's connections. With no command: its connected TCP and UDP sockets"
            + " and the processes that own them, as 'conntrace sockets' shows them.",
        subcommands = {CtCommand.class, SocketsCommand.class, LookupCommand.class, StreamsCommand.class,
            CaptureCommand.class, DnsCommand.class})
public final class Main implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** The main job: this host's connections, until a richer joined view exists. */
    @Override
    public Integer call() {
        return spec.commandLine().getSubcommands().get("sockets").execute();
    }

    public static void main(String[] args) {
        StdoutWriter out = StdoutWriter.open();
        int status = commandLine().setOut(out).execute(args);
        out.flush();
        System.exit(status);
    }

    /** The command line with its subcommands; bad input is one line on stderr and exit status 2. */
    static CommandLine commandLine() {
        return new CommandLine(new Main()).setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println("conntrace: " + e.getMessage());
            e.getCommandLine().getErr().flush();
            return 2;
        });
    }

    /** The version from the jar manifest, written by the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"conntrace " + (v == null ? "(development build)" : v)};
        }
    }
}
