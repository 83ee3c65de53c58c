package dev.aigateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.cli.doctor.FakePostgres;
import dev.aigateway.cli.setup.RandomPort;
import dev.aigateway.config.DotEnv;
import dev.aigateway.core.Json;
import dev.aigateway.provider.openai.FakeOpenAi;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's story with the real {@code ./ai-gateway} launcher, each command its own process, in a temporary
 * directory: setup, start, status, virtual-key, a clean doctor, then the doctor catching each planted fault with its
 * fix, stop, and a start on a taken port. One gateway is started once and reused for every fault that does not need
 * it stopped.
 */
class OpsIT {
    static final Path LAUNCHER = Path.of("ai-gateway").toAbsolutePath();

    @TempDir
    Path home;
    @TempDir
    Path other;

    record Result(int exit, String output) {}

    Result cli(Path cwd, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().keySet().removeIf(k -> k.startsWith("GATEWAY_") || k.startsWith("LITELLM_") || List.of("DATABASE_URL",
                "REDIS_URL", "VIRTUAL_KEY", "BUDGET_PROFILE", "RESOURCE_PROFILE").contains(k));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    Result doctor() throws Exception {
        return cli(home, "doctor");
    }

    @AfterEach
    void stopLeftovers() throws Exception {
        cli(home, "stop");
    }

    Map<String, String> env() {
        return DotEnv.read(home.resolve(".env"));
    }

    void set(String name, String value) {
        DotEnv.put(home.resolve(".env"), Map.of(name, value));
    }

    @Test
    void fromSetupToADoctorCleanGatewayAndEveryPlantedFaultWithItsFix() throws Exception {
        int port = TestGateway.freePort();

        // setup --non-interactive: .env 600 with every value, config.yaml 644 with examples
        Result setup = cli(home, "setup", "--non-interactive", "--port", Integer.toString(port), "--budget-profile", "test",
                "--resource-profile", "small");
        assertThat(setup.exit()).as(setup.output()).isZero();
        Map<String, String> env = env();
        String master = env.get("GATEWAY_MASTER_KEY");
        assertThat(master).matches("sk-[0-9A-Za-z]{48}");
        assertThat(env.get("GATEWAY_SALT_KEY")).hasSize(48);
        assertThat(env).containsEntry("GATEWAY_PORT", Integer.toString(port)).containsEntry("GATEWAY_HOST", "127.0.0.1")
                .containsEntry("BUDGET_PROFILE", "test").containsEntry("RESOURCE_PROFILE", "small")
                .containsEntry("DATABASE_URL", "sqlite:./data/gateway.db").doesNotContainKey("REDIS_URL");
        assertThat(mode(".env")).isEqualTo("rw-------");
        assertThat(mode("config.yaml")).isEqualTo("rw-r--r--");
        String config = Files.readString(home.resolve("config.yaml"));
        assertThat(config).contains("model: mock/mock-gpt").contains("#     model: openai/gpt-4o").contains("#     model: gemini/");
        assertThat(setup.output()).doesNotContain(master);

        // idempotent: a second run keeps the secrets; an invalid flag changes nothing
        Result again = cli(home, "setup", "--non-interactive");
        assertThat(again.exit()).as(again.output()).isZero();
        assertThat(again.output()).contains("kept the existing GATEWAY_MASTER_KEY");
        assertThat(env()).isEqualTo(env);
        Result invalid = cli(home, "setup", "--non-interactive", "--port", "80");
        assertThat(invalid.exit()).isEqualTo(1);
        assertThat(invalid.output()).contains("Invalid port range").contains("1024 to 65535");
        assertThat(env()).isEqualTo(env);

        // a taken port is replaced by a random free high port, and the output says which
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Result moved = cli(other, "setup", "--non-interactive", "--port", Integer.toString(taken.getLocalPort()));
            assertThat(moved.exit()).as(moved.output()).isZero();
            int chosen = Integer.parseInt(DotEnv.read(other.resolve(".env")).get("GATEWAY_PORT"));
            assertThat(chosen).isBetween(RandomPort.LOW, RandomPort.HIGH);
            assertThat(moved.output()).contains("Port " + taken.getLocalPort() + " on 127.0.0.1 is already in use; using the free port " + chosen);
        }

        // start, status, virtual-key
        Result start = cli(home, "start");
        assertThat(start.exit()).as(start.output()).isZero();
        assertThat(start.output()).contains("http://127.0.0.1:" + port + "/v1");
        long pid = Long.parseLong(Files.readString(home.resolve("data/gateway.pid")).strip());
        Result status = cli(home, "status");
        assertThat(status.exit()).as(status.output()).isZero();
        assertThat(status.output()).contains("pid:      " + pid).contains("health:   healthy");
        Result vk = cli(home, "virtual-key");
        assertThat(vk.exit()).as(vk.output()).isZero();
        String virtualKey = env().get("VIRTUAL_KEY");
        assertThat(virtualKey).startsWith("sk-");

        // doctor: clean
        Result clean = doctor();
        assertThat(clean.exit()).as(clean.output()).isZero();
        assertThat(clean.output()).doesNotContain("FAIL").contains(" 0 failed.")
                .containsPattern("PASS  \\.env permissions +600")
                .containsPattern("PASS  master key +accepted by the running gateway")
                .containsPattern("PASS  virtual key +VIRTUAL_KEY accepted by the running gateway")
                .containsPattern("PASS  port +" + port + " on 127.0.0.1 is held by this gateway \\(pid " + pid + "\\)")
                .containsPattern("PASS  gateway process +pid " + pid + ", healthy")
                .containsPattern("PASS  database +sqlite:")
                .containsPattern("PASS  models +1 on /v1/models")
                .containsPattern("PASS  memory +gateway RSS \\d+ MB")
                .doesNotContain(master).doesNotContain(virtualKey);
        Result json = cli(home, "doctor", "--json");
        assertThat(json.exit()).as(json.output()).isZero();
        JsonNode findings = Json.parse(json.output());
        assertThat(findings.isArray()).isTrue();
        assertThat(findings.size()).isGreaterThan(10);
        for (JsonNode f : findings) {
            assertThat(f.has("check") && f.has("message") && f.has("fix")).as(f.toString()).isTrue();
            assertThat(f.path("status").asText()).isIn("pass", "warn");
        }

        // fault: .env readable by others
        Files.setPosixFilePermissions(home.resolve(".env"), PosixFilePermissions.fromString("rw-r--r--"));
        assertFails(doctor(), "FAIL  \\.env permissions +644: other users can read", "fix: chmod 600 .env");
        Files.setPosixFilePermissions(home.resolve(".env"), PosixFilePermissions.fromString("rw-------"));

        // fault: a master key without sk-
        set("GATEWAY_MASTER_KEY", master.substring(3));
        assertFails(doctor(), "FAIL  master key +does not start with sk- \\(GATEWAY_MASTER_KEY in .env\\)", "fix: ./ai-gateway setup");
        set("GATEWAY_MASTER_KEY", master);

        // fault: a provider rejects the key (OpenAI's real 401 body from the fake), then the right key passes
        try (FakeOpenAi provider = new FakeOpenAi("sk-right-provider-key-0123")) {
            Files.writeString(home.resolve("config.yaml"), config.replace("model_list:\n", """
                    model_list:
                      - model_name: gpt-fake
                        litellm_params:
                          model: openai/gpt-4o-mini
                          api_base: %s
                          api_key: os.environ/FAKE_PROVIDER_KEY
                    """.formatted(provider.openAiBase())));
            set("FAKE_PROVIDER_KEY", "sk-wrong-provider-key-0123");
            Result rejected = doctor();
            assertFails(rejected, "FAIL  provider key +gpt-fake \\(openai/gpt-4o-mini\\): the provider rejected the key at " + provider.host()
                    + " \\(HTTP 401: Incorrect API key provided", "fix: update the key: FAKE_PROVIDER_KEY in .env");
            assertThat(rejected.output()).doesNotContain("sk-wrong-provider-key-0123");
            set("FAKE_PROVIDER_KEY", "sk-right-provider-key-0123");
            Result accepted = doctor();
            assertThat(accepted.exit()).as(accepted.output()).isZero();
            assertThat(accepted.output()).containsPattern("PASS  provider key +gpt-fake \\(openai/gpt-4o-mini\\): key accepted");
        }
        Files.writeString(home.resolve("config.yaml"), config);

        // fault: the database is down (nothing listens at the configured PostgreSQL port)
        int closed = TestGateway.freePort();
        set("DATABASE_URL", "postgresql://postgres@127.0.0.1:" + closed + "/gateway");
        assertFails(doctor(), "FAIL  database +PostgreSQL is not running at 127.0.0.1:" + closed + " \\(connection refused\\)",
                "fix: start PostgreSQL");

        // fault: the database password changed (a PostgreSQL speaking the protocol refuses the password)
        try (FakePostgres pg = new FakePostgres()) {
            set("DATABASE_URL", "postgresql://gateway:old-password@127.0.0.1:" + pg.port() + "/gateway");
            Result changed = doctor();
            assertFails(changed, "FAIL  database +password changed: PostgreSQL at 127.0.0.1:" + pg.port() + " refuses the password in DATABASE_URL",
                    "fix: update the password in DATABASE_URL in .env");
            assertThat(changed.output()).doesNotContain("old-password");
        }
        // and the real PostgreSQL (trust authentication) refusing a user that does not exist
        if (listening(5432)) {
            set("DATABASE_URL", "postgresql://ops_it_no_such_role@127.0.0.1:5432/postgres");
            assertFails(doctor(), "FAIL  database +the user ops_it_no_such_role in DATABASE_URL does not exist", "createuser");
        }
        set("DATABASE_URL", "sqlite:./data/gateway.db");

        // stop
        Result stop = cli(home, "stop");
        assertThat(stop.exit()).isZero();
        assertThat(stop.output()).contains("stopped (pid " + pid + ")");

        // fault: no models
        Files.writeString(home.resolve("config.yaml"), "model_list: []\n");
        assertFails(doctor(), "FAIL  models +none configured: model_list in config.yaml is empty", "fix: add a model to model_list in config.yaml");
        Files.writeString(home.resolve("config.yaml"), config);

        // fault: the port is taken by another process while the gateway is stopped; start then fails naming it
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.setReuseAddress(true);
            squatter.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            long me = ProcessHandle.current().pid();
            assertFails(doctor(), "FAIL  port +" + port + " on 127.0.0.1 is already in use by pid " + me + " ",
                    "fix: stop it \\(kill " + me + "\\), or change GATEWAY_PORT in .env");
            Result blocked = cli(home, "start");
            assertThat(blocked.exit()).as(blocked.output()).isEqualTo(1);
            assertThat(blocked.output()).contains("Port " + port).contains("already in use");
        }
    }

    static void assertFails(Result r, String linePattern, String fixPattern) {
        assertThat(r.exit()).as(r.output()).isEqualTo(1);
        assertThat(r.output()).as(r.output()).containsPattern(linePattern).containsPattern(fixPattern);
        String line = r.output().lines().filter(l -> l.matches(linePattern + ".*")).findFirst().orElse("");
        assertThat(line).as("the fix is on the failing line: " + r.output()).containsPattern(fixPattern);
    }

    String mode(String file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(file)));
    }

    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
