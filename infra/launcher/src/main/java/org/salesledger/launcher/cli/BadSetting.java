package org.salesledger.launcher.cli;

/**
 * A setting (an environment variable, its system property, or a command-line option) whose value cannot be used;
 * the message names it and the value. The command line prints the message as one line and exits with 2.
 */
public class BadSetting extends IllegalArgumentException {

    public BadSetting(String message) {
        super(message);
    }
}
