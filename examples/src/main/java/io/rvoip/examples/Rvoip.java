package io.rvoip.examples;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The rvoip command line.
 *
 * <pre>
 * java -jar examples/target/rvoip.jar demo
 * java -jar examples/target/rvoip.jar uas --listen udp:0.0.0.0:5060 --echo
 * java -jar examples/target/rvoip.jar call sip:echo@127.0.0.1:5060 --duration 5 --dtmf 123#
 * </pre>
 */
@Command(name = "rvoip", mixinStandardHelpOptions = true, version = "rvoip 0.1.0-SNAPSHOT",
        description = "A pure-Java SIP/VoIP stack: a demo, an answering server and a caller.",
        subcommands = {Demo.class, Uas.class, Call.class})
public final class Rvoip implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "Log every SIP message sent and received (secrets redacted) and the stack's internals at DEBUG.")
    void verbose(boolean on) {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(on ? Level.DEBUG : Level.WARN);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line, for tests and embedding. */
    public static CommandLine commandLine() {
        return new CommandLine(new Rvoip());
    }
}
