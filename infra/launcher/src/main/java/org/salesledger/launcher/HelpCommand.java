package org.salesledger.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code salesledger help [COMMAND]}: the help of {@code salesledger}, or of one of its commands. */
@Command(name = "help", description = "Show the help of salesledger, or of COMMAND (the same as COMMAND --help).")
final class HelpCommand implements Runnable {

    @Parameters(arity = "0..1", paramLabel = "COMMAND", description = "a command of salesledger")
    String command;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        CommandLine root = spec.commandLine().getParent();
        if (command == null) {
            root.usage(root.getOut());
            return;
        }
        CommandLine target = root.getSubcommands().get(command);
        if (target == null) {
            throw new ParameterException(spec.commandLine(), "unknown command '" + command + "'");
        }
        target.usage(target.getOut());
    }
}
