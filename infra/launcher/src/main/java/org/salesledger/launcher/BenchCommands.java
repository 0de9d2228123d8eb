package org.salesledger.launcher;

import java.io.PrintStream;
import java.util.Map;
import org.salesledger.bench.generate.GenerateCommand;
import org.salesledger.bench.harness.BenchCommand;
import org.salesledger.launcher.cli.DemoCommand;
import org.salesledger.projections.rebuild.ReadModelName;
import picocli.CommandLine;

/**
 * {@code demo}, {@code generate} and {@code bench} (the first two use the data generator), added to the command line only where {@link DeveloperTools#benchHarness()}:
 * this class alone names the harness's classes, so the server artifact, which has none, never loads it.
 */
final class BenchCommands {

    private BenchCommands() {
    }

    static void addTo(CommandLine commandLine, SalesLedger cli, PrintStream out, PrintStream err,
                      Map<String, String> env) {
        commandLine.addSubcommand("demo", new DemoCommand(cli));
        commandLine.addSubcommand("generate", new GenerateCommand(out, err));
        commandLine.addSubcommand("bench", new BenchCommand(SalesLedger.selfLaunch(), out, err, env,
                ReadModelName.ids()).commandLine());
    }
}
