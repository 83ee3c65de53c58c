package dev.aigateway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./ai-gateway <command>}: the entry point of the jar. */
@Command(name = "ai-gateway", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A self-hosted, OpenAI-compatible LLM gateway (a drop-in replacement for the LiteLLM proxy).",
        subcommands = {RunCommand.class, StartCommand.class, StopCommand.class, StatusCommand.class, LogsCommand.class,
                VirtualKeyCommand.class, SetupCommand.class, DoctorCommand.class, ImportLiteLlmCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command and returns its exit code (tests call this in-process). */
    public static int execute(String... args) {
        RunCommand run = RunCommand.parseFast(args);
        if (run != null) return run.call();
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"ai-gateway " + dev.aigateway.server.GatewayServer.currentVersion()};
        }
    }
}
