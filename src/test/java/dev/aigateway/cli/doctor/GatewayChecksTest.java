package dev.aigateway.cli.doctor;

import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.aigateway.cli.doctor.DoctorKit.only;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checks that ask a running gateway (an in-process one, so "the gateway's pid" is this JVM's): master key
 * accepted, virtual key accepted, /v1/models, health, and the port held by it.
 */
class GatewayChecksTest {
    static TestGateway gw;
    static String virtualKey;

    @TempDir
    Path home;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(DoctorKit.MOCK_ONLY);
        virtualKey = TestGateway.json(gw.post("/key/generate", "{\"key_alias\":\"doctor-test\"}")).path("key").asText();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    DoctorKit workspace(String... extra) {
        String[] lines = new String[extra.length + 1];
        lines[0] = "GATEWAY_PORT=" + gw.server().port();
        System.arraycopy(extra, 0, lines, 1, extra.length);
        DoctorKit kit = new DoctorKit(home).env(lines).config(DoctorKit.MOCK_ONLY);
        kit.pid = ProcessHandle.current().pid();
        return kit;
    }

    @Test
    void masterKeyAcceptedByTheRunningGatewayPasses() {
        List<Finding> f = workspace("GATEWAY_MASTER_KEY=" + TestGateway.MASTER_KEY).run(new MasterKeyCheck());
        assertThat(f).extracting(Finding::status).containsOnly(Status.PASS);
        assertThat(f).extracting(Finding::message).contains("accepted by the running gateway");
        assertThat(f.toString()).doesNotContain(TestGateway.MASTER_KEY);
    }

    @Test
    void aMasterKeyChangedWithoutARestartFailsWithTheRestartAsTheFix() {
        List<Finding> f = workspace("GATEWAY_MASTER_KEY=sk-changed-0123456789abcdefghijklmnopqrstuvwxyz").run(new MasterKeyCheck());
        assertThat(f.get(1)).isEqualTo(Finding.fail(MasterKeyCheck.NAME,
                "the running gateway refuses it: it was started with another master key (changed without a restart?)",
                "./ai-gateway stop && ./ai-gateway start"));
    }

    @Test
    void masterKeyWithoutSkMissingOrShort() {
        Finding invalid = only(workspace("GATEWAY_MASTER_KEY=1234567890abcdef").run(new MasterKeyCheck()));
        assertThat(invalid.status()).isEqualTo(Status.FAIL);
        assertThat(invalid.message()).startsWith("does not start with sk- (GATEWAY_MASTER_KEY in .env)");
        assertThat(invalid.fix()).startsWith("./ai-gateway setup");
        Finding missing = only(workspace().run(new MasterKeyCheck()));
        assertThat(missing.status()).isEqualTo(Status.FAIL);
        assertThat(missing.message()).contains("none configured");
        assertThat(workspace("GATEWAY_MASTER_KEY=sk-short").run(new MasterKeyCheck()).get(0).status()).isEqualTo(Status.WARN);
    }

    @Test
    void virtualKeyAcceptedRefusedOrMissing() {
        Finding ok = only(workspace("GATEWAY_MASTER_KEY=" + TestGateway.MASTER_KEY, "VIRTUAL_KEY=" + virtualKey).run(new VirtualKeyCheck()));
        assertThat(ok.status()).isEqualTo(Status.PASS);
        assertThat(ok.message()).contains("accepted by the running gateway (1 models");

        Finding refused = only(workspace("GATEWAY_MASTER_KEY=" + TestGateway.MASTER_KEY, "VIRTUAL_KEY=sk-unknown-0123456789").run(new VirtualKeyCheck()));
        assertThat(refused.status()).isEqualTo(Status.FAIL);
        assertThat(refused.message()).contains("refuses VIRTUAL_KEY").contains("HTTP 401").doesNotContain("sk-unknown-0123456789");
        assertThat(refused.fix()).startsWith("./ai-gateway virtual-key");

        Finding missing = only(workspace("GATEWAY_MASTER_KEY=" + TestGateway.MASTER_KEY).run(new VirtualKeyCheck()));
        assertThat(missing.status()).isEqualTo(Status.WARN);
        assertThat(missing.fix()).isEqualTo("./ai-gateway virtual-key");
        assertThat(missing.message()).contains("allow_master_key_for_llm_routes is true");
    }

    @Test
    void processHealthyPortHeldByItModelsListed() {
        DoctorKit kit = workspace("GATEWAY_MASTER_KEY=" + TestGateway.MASTER_KEY);
        Finding process = only(kit.run(new ProcessCheck()));
        assertThat(process.status()).isEqualTo(Status.PASS);
        assertThat(process.message()).contains("healthy (db connected");
        Finding port = only(kit.run(new PortCheck()));
        assertThat(port).isEqualTo(Finding.pass(PortCheck.NAME, gw.server().port() + " on 127.0.0.1 is held by this gateway (pid "
                + ProcessHandle.current().pid() + ")"));
        Finding models = only(kit.run(new ModelsCheck()));
        assertThat(models.status()).isEqualTo(Status.PASS);
        assertThat(models.message()).startsWith("1 on /v1/models of the running gateway (mock)");
    }

    @Test
    void aPortHeldByAnotherProgramIsNamedWithItsPid() throws Exception {
        DoctorKit kit = workspace("GATEWAY_MASTER_KEY=" + TestGateway.MASTER_KEY);
        kit.pid = null; // this workspace's gateway is stopped; something else (this JVM) holds the port
        try (var other = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            kit.env("GATEWAY_PORT=" + other.getLocalPort());
            Finding f = only(kit.run(new PortCheck()));
            long me = ProcessHandle.current().pid();
            assertThat(f.status()).isEqualTo(Status.FAIL);
            assertThat(f.message()).startsWith(other.getLocalPort() + " on 127.0.0.1 is already in use by pid " + me + " (");
            assertThat(f.fix()).startsWith("stop it (kill " + me + "), or change GATEWAY_PORT in .env");
            assertThat(PortOwner.find(other.getLocalPort())).map(PortOwner.Holder::pid).contains(me);
        }
        kit.env("GATEWAY_PORT=" + TestGateway.freePort());
        assertThat(only(kit.run(new PortCheck())).status()).isEqualTo(Status.PASS);
        assertThat(only(kit.run(new ProcessCheck()))).isEqualTo(Finding.warn(ProcessCheck.NAME, "not running", "./ai-gateway start"));
    }

    @Test
    void noModelsFailsWithHowToAddOne() {
        DoctorKit kit = workspace("GATEWAY_MASTER_KEY=" + TestGateway.MASTER_KEY).config("model_list: []\n");
        kit.env("GATEWAY_PORT=1"); // nothing runs there: only config.yaml is looked at
        kit.pid = null;
        Finding f = only(kit.run(new ModelsCheck()));
        assertThat(f).isEqualTo(Finding.fail(ModelsCheck.NAME, "none configured: model_list in config.yaml is empty", ModelsCheck.FIX));
        try (TestGateway empty = TestGateway.start("model_list: []\n")) {
            kit.env("GATEWAY_PORT=" + empty.server().port(), "GATEWAY_MASTER_KEY=" + TestGateway.MASTER_KEY);
            Finding running = only(kit.run(new ModelsCheck()));
            assertThat(running).isEqualTo(Finding.fail(ModelsCheck.NAME, "the running gateway lists no models on /v1/models", ModelsCheck.FIX));
        }
    }
}
