package dev.conntrace.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Entry point of the {@code conntrace} command. */
@Command(name = "conntrace", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Shows this host's connections. With no command: its connected TCP and UDP sockets"
            + " and the processes that own them, as 'conntrace sockets' shows them.")
public final class Main implements Callable<Integer> {

    /** The commands, in the order help lists them. */
    private static final List<Class<?>> COMMANDS = List.of(CtCommand.class, SocketsCommand.class,
            LookupCommand.class, StreamsCommand.class, CaptureCommand.class, DnsCommand.class);

    @Spec
    CommandSpec spec;

    /** The main job: this host's connections, until a richer joined view exists. */
    @Override
    public Integer call() {
        return spec.commandLine().getSubcommands().get("sockets").execute();
    }

    public static void main(String[] args) {
        StdoutWriter out = StdoutWriter.open();
        int status = commandLine(args).setOut(out).execute(args);
        out.flush();
        System.exit(status);
    }

    /** The command line with every command. */
    static CommandLine commandLine() {
        return commandLine(COMMANDS);
    }

    /** The command line with the commands (and {@code ct} subcommands) that {@code args} can reach. */
    static CommandLine commandLine(String[] args) {
        List<Class<?>> commands = reachable(args);
        return commandLine(commands, commands.equals(List.of(CtCommand.class)) ? reachableCt(args) : CtCommand.SUBCOMMANDS);
    }

    /**
     * The commands these arguments can reach: the one they name, the main job's for none, none for
     * {@code --version}, all otherwise (help, or an unknown word that picocli will answer). Picocli builds
     * each command's model by reflection, in the interpreter (its old class files stay out of the AOT
     * cache), and that was most of a start, so only reachable models are built.
     */
    static List<Class<?>> reachable(String[] args) {
        if (args.length == 0) {
            return List.of(SocketsCommand.class);
        }
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            return List.of();
        }
        Class<?> named = named(COMMANDS, args[0]);
        return named == null ? COMMANDS : List.of(named);
    }

    /** The {@code ct} subcommands {@code ct ...} arguments can reach: the one named second, else all. */
    static List<Class<?>> reachableCt(String[] args) {
        Class<?> named = args.length < 2 ? null : named(CtCommand.SUBCOMMANDS, args[1]);
        return named == null ? CtCommand.SUBCOMMANDS : List.of(named);
    }

    /** The command of {@code commands} whose name or alias is {@code word}; null for none. */
    private static Class<?> named(List<Class<?>> commands, String word) {
        for (Class<?> c : commands) {
            Command command = c.getAnnotation(Command.class);
            if (command.name().equals(word)) {
                return c;
            }
            for (String alias : command.aliases()) {
                if (alias.equals(word)) {
                    return c;
                }
            }
        }
        return null;
    }

    /** The command line with the given commands and every ct subcommand. */
    static CommandLine commandLine(List<Class<?>> commands) {
        return commandLine(commands, CtCommand.SUBCOMMANDS);
    }

    /** The command line with the given commands and ct subcommands; bad input is one line on stderr and exit status 2. */
    static CommandLine commandLine(List<Class<?>> commands, List<Class<?>> ctSubcommands) {
        CommandLine root = new CommandLine(new Main());
        for (Class<?> c : commands) {
            if (c == CtCommand.class) {
                CommandLine ct = new CommandLine(new CtCommand());
                for (Class<?> sub : ctSubcommands) {
                    ct.addSubcommand(sub);
                }
                root.addSubcommand(ct);
            } else {
                root.addSubcommand(c);
            }
        }
        return root.setParameterExceptionHandler(new OneLineErrors());
    }

    /** Bad input: one line on stderr, exit status 2. */
    private static final class OneLineErrors implements CommandLine.IParameterExceptionHandler {
        @Override
        public int handleParseException(CommandLine.ParameterException e, String[] args) {
            e.getCommandLine().getErr().println("conntrace: " + e.getMessage());
            e.getCommandLine().getErr().flush();
            return 2;
        }
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
