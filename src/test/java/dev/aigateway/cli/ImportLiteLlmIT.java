package dev.aigateway.cli;

import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.aigateway.config.DotEnv;
import dev.aigateway.provider.openai.FakeOpenAi;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./ai-gateway import-litellm} as an operator runs it: the real launcher, each run its own process, settings in
 * the working directory's .env (DATABASE_URL, GATEWAY_SALT_KEY, LITELLM_SALT_KEY). Dry run, --apply, a second --apply,
 * an unreachable LiteLLM database (its password masked); then a gateway on the imported database takes an old key and
 * serves the imported model with its decrypted credential.
 */
class ImportLiteLlmIT {
    static final Path LAUNCHER = Path.of("ai-gateway").toAbsolutePath();

    @TempDir
    Path home;

    record Result(int exit, String output) {}

    Result cli(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().keySet().removeIf(k -> k.startsWith("GATEWAY_") || k.startsWith("LITELLM_") || k.equals("DATABASE_URL") || k.equals("REDIS_URL"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    @Test
    void theLauncherImportsALiteLlmDatabaseAndTheOldKeyWorksAfterwards() throws Exception {
        String database = "sqlite:" + home.resolve("data/gateway.db");
        DotEnv.put(home.resolve(".env"), Map.of("DATABASE_URL", database, "GATEWAY_SALT_KEY", ImportLiteLlmTest.GATEWAY_SALT,
                "LITELLM_SALT_KEY", LiteLlmFixture.SALT_KEY));
        try (FakeOpenAi upstream = new FakeOpenAi(LiteLlmFixture.UPSTREAM_KEY);
             LiteLlmFixture litellm = LiteLlmFixture.create(upstream.openAiBase())) {
            Result dry = cli("import-litellm", "--from", litellm.url());
            assertThat(dry.output()).contains("Dry run", "postgresql://postgres@127.0.0.1:5432/" + litellm.database());
            assertThat(ImportLiteLlmTest.row(dry.output(), "virtual_keys")).isEqualTo("3 0 0");

            Result applied = cli("import-litellm", "--from", litellm.url(), "--apply");
            assertThat(applied.exit()).as(applied.output()).isEqualTo(2); // the model under another salt key
            assertThat(ImportLiteLlmTest.row(applied.output(), "virtual_keys")).isEqualTo("3 0 0");
            assertThat(ImportLiteLlmTest.row(applied.output(), "spend_logs")).isEqualTo("3 0 0");
            assertThat(applied.output()).contains("broken-model", "Restart the gateway");

            Result again = cli("import-litellm", "--from", litellm.url(), "--apply");
            assertThat(ImportLiteLlmTest.row(again.output(), "virtual_keys")).isEqualTo("0 3 0");
            assertThat(ImportLiteLlmTest.row(again.output(), "spend_logs")).isEqualTo("0 3 0");

            Result unreachable = cli("import-litellm", "--from", "postgresql://litellm:" + LiteLlmFixture.PASSWORD + "@127.0.0.1:1/litellm");
            assertThat(unreachable.exit()).isEqualTo(1);
            assertThat(unreachable.output()).contains("error: ", "postgresql://litellm@127.0.0.1:1/litellm");

            for (Result r : List.of(dry, applied, again, unreachable)) {
                assertThat(r.output()).doesNotContain(LiteLlmFixture.PASSWORD, LiteLlmFixture.SALT_KEY, LiteLlmFixture.UPSTREAM_KEY,
                        ImportLiteLlmTest.GATEWAY_SALT);
            }

            try (TestGateway gw = TestGateway.start(ImportLiteLlmTest.CONFIG, Map.of("DATABASE_URL", database,
                    "GATEWAY_SALT_KEY", ImportLiteLlmTest.GATEWAY_SALT))) {
                var alice = gw.openAi(LiteLlmFixture.ALICE_KEY);
                assertThat(alice.chat().completions().create(ChatCompletionCreateParams.builder().model("mock").addUserMessage("hi").build())
                        .choices().get(0).message().content()).contains("hello from mock");
                alice.chat().completions().create(ChatCompletionCreateParams.builder().model("imported-gpt").addUserMessage("hi").build());
                assertThat(upstream.lastCall().header("authorization")).isEqualTo("Bearer " + LiteLlmFixture.UPSTREAM_KEY);
            }
        }
    }
}
