package org.salesledger.launcher.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;

/**
 * What a subcommand of {@code salesledger} works with: its standard streams and where the system's two sides are
 * (from the settings, unless {@code --url} says otherwise). Reading the settings may throw a {@link BadSetting}.
 */
public interface CliContext {

    PrintStream out();

    PrintStream err();

    InputStream in();

    /** The command side of the system running on this machine, where its settings put it. */
    URI commandUri();

    /** The query side of the system running on this machine, where its settings put it. */
    URI queryUri();
}
