package dev.aigateway.cli.doctor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.aigateway.cli.doctor.DoctorKit.named;
import static org.assertj.core.api.Assertions.assertThat;

/** .env presence and mode, config.yaml mode and literal keys, and the configuration as the gateway loads it. */
class FilesChecksTest {
    @TempDir
    Path home;

    @Test
    void dotEnvMissingFailsWithSetupAsTheFix() {
        List<Finding> f = new DoctorKit(home).run(new DotEnvCheck());
        assertThat(f).containsExactly(Finding.fail(".env", "not found in " + home, "./ai-gateway setup"));
    }

    @Test
    void dotEnvMode600PassesAnd644Fails() {
        DoctorKit kit = new DoctorKit(home).env("GATEWAY_MASTER_KEY=sk-0123456789abcdefghijklmnopqrstuvwxyz0123");
        assertThat(named(kit.run(new DotEnvCheck()), ".env permissions")).isEqualTo(Finding.pass(".env permissions", "600"));
        kit.mode(".env", "r--------");
        assertThat(named(kit.run(new DotEnvCheck()), ".env permissions").status()).isEqualTo(Status.PASS);
        kit.mode(".env", "rw-r--r--");
        Finding f = named(kit.run(new DotEnvCheck()), ".env permissions");
        assertThat(f.status()).isEqualTo(Status.FAIL);
        assertThat(f.message()).startsWith("644");
        assertThat(f.fix()).isEqualTo("chmod 600 .env");
    }

    @Test
    void configYamlGroupWritableWarnsAndLiteralKeysInAReadableFileWarn() {
        DoctorKit kit = new DoctorKit(home).env("X=1").config("""
                model_list:
                  - model_name: gpt
                    litellm_params:
                      model: openai/gpt-4o
                      api_key: sk-literal-key-in-config
                  - model_name: claude
                    litellm_params:
                      model: anthropic/claude-sonnet-4-5
                      api_key: os.environ/ANTHROPIC_API_KEY
                """).env("ANTHROPIC_API_KEY=x");
        kit.mode("config.yaml", "rw-r--r--");
        List<Finding> f = kit.run(new ConfigFileCheck());
        assertThat(named(f, ConfigFileCheck.NAME)).isEqualTo(Finding.pass(ConfigFileCheck.NAME, "644"));
        Finding secrets = named(f, "config.yaml secrets");
        assertThat(secrets.status()).isEqualTo(Status.WARN);
        assertThat(secrets.message()).contains("gpt").doesNotContain("claude").doesNotContain("sk-literal");
        kit.mode("config.yaml", "rw-rw-rw-");
        Finding mode = named(kit.run(new ConfigFileCheck()), ConfigFileCheck.NAME);
        assertThat(mode.status()).isEqualTo(Status.WARN);
        assertThat(mode.fix()).isEqualTo("chmod 644 config.yaml");
        kit.mode("config.yaml", "rw-------");
        assertThat(kit.run(new ConfigFileCheck())).extracting(Finding::status).containsOnly(Status.PASS);
    }

    @Test
    void configurationErrorsAndBadProfilesFailNamingTheSetting() {
        DoctorKit kit = new DoctorKit(home).env("GATEWAY_PORT=70000");
        Finding load = named(kit.run(new ConfigurationCheck()), ConfigurationCheck.NAME);
        assertThat(load.status()).isEqualTo(Status.FAIL);
        assertThat(load.message()).contains("GATEWAY_PORT").contains("70000");

        kit.env("BUDGET_PROFILE=gold", "RESOURCE_PROFILE=tiny").config(DoctorKit.MOCK_ONLY + "general_settings:\n  shiny_feature: true\n");
        List<Finding> f = kit.run(new ConfigurationCheck());
        assertThat(named(f, ConfigurationCheck.NAME).status()).isEqualTo(Status.PASS);
        assertThat(f).anySatisfy(w -> assertThat(w.message()).contains("shiny_feature").contains("ignored"));
        assertThat(named(f, "budget profile").fix()).isEqualTo("BUDGET_PROFILE=test (or prod, unlimited) in .env");
        assertThat(named(f, "resource profile").status()).isEqualTo(Status.FAIL);
    }
}
