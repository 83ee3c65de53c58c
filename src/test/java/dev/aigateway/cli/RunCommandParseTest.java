package dev.aigateway.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** `run` parses its flags without picocli (start-up time); it must read them exactly as picocli would. */
class RunCommandParseTest {

    @Test
    void theFastPathReadsWhatPicocliReads() {
        List<String[]> cases = List.of(
                new String[]{"run"},
                new String[]{"run", "--port", "4001"},
                new String[]{"run", "--port=4002", "--host", "0.0.0.0"},
                new String[]{"run", "--config", "/etc/gw/config.yaml", "--log-format", "json", "--host=::", "--port", "0"},
                new String[]{"run", "--log-format=text", "--config=a=b.yaml"});
        for (String[] args : cases) {
            RunCommand fast = RunCommand.parseFast(args);
            assertThat(fast).as(String.join(" ", args)).isNotNull();
            RunCommand slow = new RunCommand();
            new CommandLine(slow).parseArgs(java.util.Arrays.copyOfRange(args, 1, args.length));
            assertThat(fast.options.config).isEqualTo(slow.options.config);
            assertThat(fast.options.port).isEqualTo(slow.options.port);
            assertThat(fast.options.host).isEqualTo(slow.options.host);
            assertThat(fast.logging.logFormat).isEqualTo(slow.logging.logFormat);
        }
    }

    @Test
    void anythingElseIsLeftToPicocli() {
        for (String[] args : List.of(new String[]{}, new String[]{"start"}, new String[]{"run", "--help"},
                new String[]{"run", "--port"}, new String[]{"run", "--port", "abc"}, new String[]{"run", "--prot", "1"},
                new String[]{"run", "--port", "1", "--port", "2"}, new String[]{"run", "extra"})) {
            assertThat(RunCommand.parseFast(args)).as(String.join(" ", args)).isNull();
        }
    }
}
