package dev.conntrace.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code conntrace} command. */
@Command(name = "conntrace", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        subcommands = {SocketsCommand.class, StreamsCommand.class},
        description = "Shows this host's connections.")
public final class Main implements Runnable {

    @Override
    public void run() {
        System.out.println("conntrace");
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
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
