package dev.aigateway.models;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.cluster.ClusterEvents;
import dev.aigateway.config.DeploymentParser;
import dev.aigateway.config.EnvReferences;
import dev.aigateway.config.RouterSettingsReader;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.db.Database;
import dev.aigateway.pricing.ModelPrice;
import dev.aigateway.provider.Providers;
import dev.aigateway.provider.http.Upstream;
import dev.aigateway.provider.openai.FakeOpenAi;
import dev.aigateway.router.ModelCatalog;
import dev.aigateway.router.Router;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The runtime-model write path without HTTP: a real SQLite database (migrated by {@link Database#open}), a real
 * {@link Router} whose catalog the service reloads, real providers (mock, and OpenAI against {@link FakeOpenAi}).
 * The HTTP routes over it are tested by the server/admin and server/ui tests.
 */
class ModelServiceTest {
    static final String SALT = "model-service-test-salt-7c1e";
    static final String SECRET = "sk-provider-secret-0123456789";
    /** Deriving a key costs a few hundred ms: once for the class. */
    static CredentialCipher cipher;
    static Vertx vertx;
    static Upstream upstream;

    @TempDir
    Path dir;
    Database db;
    Router router;
    RuntimeModels runtime;
    final Announcements events = new Announcements();
    final Map<String, String> environment = new java.util.HashMap<>();

    @BeforeAll
    static void shared() {
        cipher = CredentialCipher.fromSaltKey(SALT);
        vertx = Vertx.vertx();
        upstream = new Upstream(vertx);
    }

    @AfterAll
    static void closeShared() {
        upstream.close();
        vertx.close();
    }

    @AfterEach
    void closeDb() {
        if (db != null) db.close();
    }

    /** A service on a fresh database, with one config.yaml model (id cfg-1) and the given cipher (null: no salt key). */
    ModelService service(CredentialCipher withCipher) {
        db = Database.open("sqlite:" + dir.resolve("gateway.db"));
        ObjectNode entry = (ObjectNode) Json.parse("{\"model_name\": \"from-config\", \"litellm_params\": {\"model\": \"mock/cfg\"}, \"model_info\": {\"id\": \"cfg-1\"}}");
        Deployment configured = DeploymentParser.parse(entry, "model_list[0]", EnvReferences.configFile(n -> null), Json.object(), true, new ArrayList<>());
        router = new Router(new ModelCatalog(List.of(configured)), RouterSettingsReader.read(Json.object(), null), d -> ModelPrice.UNKNOWN,
                Clock.systemUTC());
        runtime = new RuntimeModels(List.of(configured), new ModelStore(db, withCipher), router,
                EnvReferences.runtimeModels(environment::get, Set.of("PROVIDER_KEY")), Json.object());
        runtime.loadAtStartup();
        return new ModelService(runtime, router, events, new Providers(vertx, upstream), Clock.systemUTC());
    }

    static ObjectNode body(String json) {
        return (ObjectNode) Json.parse(json);
    }

    List<String> servedIds() {
        return router.catalog().all().stream().map(Deployment::id).toList();
    }

    String rawParams(String id) throws Exception {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT litellm_params FROM proxy_models WHERE model_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    static GatewayException refusal(Runnable call) {
        try {
            call.run();
        } catch (GatewayException e) {
            return e;
        }
        throw new AssertionError("expected a GatewayException");
    }

    @Test
    void createStoresEncryptedServesAtOnceAndAnnounces() throws Exception {
        ModelService s = service(cipher);
        ModelService.Saved saved = s.create(body("""
                {"model_name": "rt", "litellm_params": {"model": "openai/gpt-4o", "api_key": "%s"}, "model_info": {"id": "rt-1", "team": "a", "db_model": false}}"""
                .formatted(SECRET)));

        assertThat(saved.model().id()).isEqualTo("rt-1");
        assertThat(saved.model().modelInfo().has("db_model")).as("computed fields are not stored").isFalse();
        assertThat(saved.deployment().apiKey()).isEqualTo(SECRET);
        assertThat(servedIds()).containsExactly("cfg-1", "rt-1");
        assertThat(events.modelsChanged).hasValue(1);
        String raw = rawParams("rt-1");
        assertThat(raw).contains(CredentialCipher.PREFIX).doesNotContain(SECRET);
        assertThat(runtime.store().byId("rt-1").orElseThrow().litellmParams().path("api_key").asText()).isEqualTo(SECRET);
        assertThat(s.served()).extracting(Deployment::id).contains("rt-1");
    }

    @Test
    void createWithoutIdGeneratesOne() {
        ModelService s = service(cipher);
        String id = s.create(body("{\"model_name\": \"rt\", \"litellm_params\": {\"model\": \"mock/x\"}}")).model().id();
        assertThat(id).matches("[0-9a-f-]{36}");
        assertThat(servedIds()).contains(id);
    }

    @Test
    void invalidFieldsAreRefusedNamingTheFieldAndNothingIsStoredOrAnnounced() throws Exception {
        ModelService s = service(cipher);
        GatewayException timeout = refusal(() -> s.create(body("{\"model_name\": \"rt\", \"litellm_params\": {\"model\": \"mock/x\", \"timeout\": \"soon\"}, \"model_info\": {\"id\": \"bad\"}}")));
        assertThat(timeout.status()).isEqualTo(400);
        assertThat(timeout.type()).isEqualTo("invalid_request_error");
        assertThat(timeout.param()).isEqualTo("litellm_params.timeout");
        assertThat(timeout.getMessage()).isEqualTo("litellm_params.timeout must be a number, not \"soon\".");

        GatewayException number = refusal(() -> s.create(body("{\"model_name\": \"rt\", \"litellm_params\": {\"model\": \"mock/x\"}, \"model_info\": {\"id\": \"bad\", \"max_tokens\": -1}}")));
        assertThat(number.param()).isEqualTo("model_info.max_tokens");

        GatewayException prefix = refusal(() -> s.create(body("{\"model_name\": \"rt\", \"litellm_params\": {\"model\": \"nope/x\"}}")));
        assertThat(prefix.param()).isEqualTo("litellm_params.model");
        assertThat(prefix.getMessage()).startsWith("litellm_params.model: unknown provider 'nope' in 'nope/x'.");

        GatewayException env = refusal(() -> s.create(body("{\"model_name\": \"rt\", \"litellm_params\": {\"model\": \"mock/x\", \"api_key\": \"os.environ/GATEWAY_MASTER_KEY\"}}")));
        assertThat(env.param()).isEqualTo("litellm_params.api_key");
        assertThat(env.getMessage()).startsWith("litellm_params.api_key refers to the environment variable GATEWAY_MASTER_KEY");

        GatewayException name = refusal(() -> s.create(body("{\"model_name\": \" \", \"litellm_params\": {\"model\": \"mock/x\"}}")));
        assertThat(name.param()).isEqualTo("model_name");
        GatewayException params = refusal(() -> s.create(body("{\"model_name\": \"rt\", \"litellm_params\": \"mock/x\"}")));
        assertThat(params.getMessage()).isEqualTo("litellm_params must be a JSON object.");

        GatewayException badId = refusal(() -> s.create(body("{\"model_name\": \"rt\", \"litellm_params\": {\"model\": \"mock/x\"}, \"model_info\": {\"id\": \"a\\r\\nb\"}}")));
        assertThat(badId.param()).isEqualTo("model_info.id");
        GatewayException configId = refusal(() -> s.create(body("{\"model_name\": \"rt\", \"litellm_params\": {\"model\": \"mock/x\"}, \"model_info\": {\"id\": \"cfg-1\"}}")));
        assertThat(configId.getMessage()).isEqualTo("model_info.id 'cfg-1' is already the id of a model defined in config.yaml.");

        assertThat(runtime.store().all()).isEmpty();
        assertThat(servedIds()).containsExactly("cfg-1");
        assertThat(events.modelsChanged).hasValue(0);
    }

    @Test
    void aDuplicateIdIsTheCallersError() {
        ModelService s = service(cipher);
        s.create(body("{\"model_name\": \"rt\", \"litellm_params\": {\"model\": \"mock/x\"}, \"model_info\": {\"id\": \"dup\"}}"));
        GatewayException e = refusal(() -> s.create(body("{\"model_name\": \"rt2\", \"litellm_params\": {\"model\": \"mock/y\"}, \"model_info\": {\"id\": \"dup\"}}")));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.param()).isEqualTo("model_info.id");
    }

    @Test
    void withoutASaltKeyOnlyEnvironmentReferencesAreStored() throws Exception {
        ModelService s = service(null);
        GatewayException e = refusal(() -> s.create(body("{\"model_name\": \"rt\", \"litellm_params\": {\"model\": \"openai/gpt-4o\", \"api_key\": \"" + SECRET + "\"}}")));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.param()).isEqualTo("litellm_params.api_key");
        assertThat(e.getMessage()).contains("GATEWAY_SALT_KEY is not set").doesNotContain(SECRET);
        assertThat(runtime.store().all()).isEmpty();

        environment.put("PROVIDER_KEY", SECRET);
        ModelService.Saved saved = s.create(body("{\"model_name\": \"rt\", \"litellm_params\": {\"model\": \"openai/gpt-4o\", \"api_key\": \"os.environ/PROVIDER_KEY\"}, \"model_info\": {\"id\": \"env\"}}"));
        assertThat(saved.deployment().apiKey()).isEqualTo(SECRET);
        assertThat(rawParams("env")).contains("os.environ/PROVIDER_KEY").doesNotContain(SECRET);
    }

    @Test
    void updateMergesKeepsStoredCredentialsAndRefusesToRedirectThem() {
        ModelService s = service(cipher);
        s.create(body("{\"model_name\": \"rt\", \"litellm_params\": {\"model\": \"openai/gpt-4o\", \"api_base\": \"https://one.example/v1\", \"api_key\": \"" + SECRET + "\"}, \"model_info\": {\"id\": \"u\"}}"));

        ModelService.Saved renamed = s.update(body("{\"model_info\": {\"id\": \"u\", \"team\": \"b\"}, \"model_name\": \"rt2\", \"litellm_params\": {\"api_key\": \"\", \"timeout\": 5}}"));
        assertThat(renamed.model().modelName()).isEqualTo("rt2");
        assertThat(renamed.deployment().apiKey()).as("an empty credential keeps the stored one").isEqualTo(SECRET);
        assertThat(renamed.deployment().timeout()).hasSeconds(5);
        assertThat(renamed.model().modelInfo().path("team").asText()).isEqualTo("b");
        assertThat(router.catalog().all()).filteredOn(d -> d.id().equals("u")).extracting(Deployment::modelName).containsExactly("rt2");
        assertThat(events.modelsChanged).hasValue(2);

        GatewayException moved = refusal(() -> s.update(body("{\"model_info\": {\"id\": \"u\"}, \"litellm_params\": {\"api_base\": \"https://attacker.example/v1\"}}")));
        assertThat(moved.status()).isEqualTo(400);
        assertThat(moved.param()).isEqualTo("litellm_params.api_key");
        assertThat(runtime.store().byId("u").orElseThrow().litellmParams().path("api_base").asText()).isEqualTo("https://one.example/v1");

        ModelService.Saved withKey = s.update(body("{\"id\": \"u\", \"litellm_params\": {\"api_base\": \"https://two.example/v1\", \"api_key\": \"sk-new-key-for-two\"}}"));
        assertThat(withKey.deployment().apiBase()).isEqualTo("https://two.example/v1");
        assertThat(withKey.model().createdAt()).isBefore(withKey.model().updatedAt().plusNanos(1));
    }

    @Test
    void unknownAndConfiguredModelsCannotBeChangedOrDeleted() {
        ModelService s = service(cipher);
        GatewayException noId = refusal(() -> s.update(body("{\"model_name\": \"x\"}")));
        assertThat(noId.param()).isEqualTo("model_info.id");
        GatewayException unknown = refusal(() -> s.update(body("{\"model_info\": {\"id\": \"nope\"}, \"model_name\": \"x\"}")));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.code()).isEqualTo("not_found");
        GatewayException configured = refusal(() -> s.update(body("{\"model_info\": {\"id\": \"cfg-1\"}, \"model_name\": \"x\"}")));
        assertThat(configured.status()).isEqualTo(400);
        assertThat(configured.getMessage()).isEqualTo("Model cfg-1 (from-config) is defined in config.yaml, read-only: change it there and restart the gateway.");

        assertThat(refusal(() -> s.delete(body("{}"))).param()).isEqualTo("id");
        assertThat(refusal(() -> s.delete(body("{\"id\": \"nope\"}"))).status()).isEqualTo(404);
        GatewayException deleteConfigured = refusal(() -> s.delete(body("{\"id\": \"cfg-1\"}")));
        assertThat(deleteConfigured.status()).isEqualTo(400);
        assertThat(deleteConfigured.param()).isEqualTo("id");
        assertThat(servedIds()).containsExactly("cfg-1");
        assertThat(events.modelsChanged).hasValue(0);
    }

    @Test
    void deleteStopsServingAndAnnounces() {
        ModelService s = service(cipher);
        s.create(body("{\"model_name\": \"rt\", \"litellm_params\": {\"model\": \"mock/x\"}, \"model_info\": {\"id\": \"gone\"}}"));
        assertThat(s.delete(body("{\"id\": \"gone\"}"))).isEqualTo("gone");
        assertThat(servedIds()).containsExactly("cfg-1");
        assertThat(runtime.store().byId("gone")).isEmpty();
        assertThat(events.modelsChanged).hasValue(2);
    }

    /** Read-merge-write of one model from many threads: every change survives (writes are serialized in the process). */
    @Test
    void concurrentUpdatesOfOneModelLoseNothing() throws Exception {
        ModelService s = service(cipher);
        s.create(body("{\"model_name\": \"rt\", \"litellm_params\": {\"model\": \"mock/x\"}, \"model_info\": {\"id\": \"c\"}}"));
        int writers = 12;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String field = "k" + i;
                done.add(pool.submit(() -> {
                    start.await();
                    return s.update(body("{\"model_info\": {\"id\": \"c\", \"" + field + "\": 1}}"));
                }));
            }
            start.countDown();
            for (Future<?> f : done) f.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        ObjectNode info = runtime.store().byId("c").orElseThrow().modelInfo();
        for (int i = 0; i < writers; i++) assertThat(info.has("k" + i)).as("k" + i).isTrue();
    }

    @Test
    void aDatabaseThatDoesNotAnswerIsA503() {
        ModelService s = service(cipher);
        db.close();
        GatewayException e = refusal(() -> s.create(body("{\"model_name\": \"rt\", \"litellm_params\": {\"model\": \"mock/x\"}}")));
        assertThat(e.status()).isEqualTo(503);
        assertThat(e.code()).isEqualTo("service_unavailable");
        assertThat(e.getMessage()).startsWith("The database is not available: ");
        db = null;
    }

    @Test
    void testCallsAnUnsavedModelAndReportsTheProvidersRefusalRedacted() throws Exception {
        ModelService s = service(cipher);
        ModelService.Tested ok = s.test(s.deploymentToTest(body("{\"model_name\": \"t\", \"litellm_params\": {\"model\": \"mock/t\"}}")))
                .await(30, TimeUnit.SECONDS);
        assertThat(ok.ok()).isTrue();
        assertThat(ok.deployment().modelName()).isEqualTo("t");
        assertThat(ok.deployment().id()).isEqualTo(ModelService.TEST_ID);

        try (FakeOpenAi fake = new FakeOpenAi("sk-right-key-0123456789")) {
            String wrong = "sk-wrong-key-0123456789abcdef";
            ModelService.Tested refused = s.test(s.deploymentToTest(body("{\"litellm_params\": {\"model\": \"openai/gpt-4o\", \"api_base\": \""
                    + fake.openAiBase() + "\", \"api_key\": \"" + wrong + "\"}}"))).await(30, TimeUnit.SECONDS);
            assertThat(refused.ok()).isFalse();
            assertThat(refused.failure().status()).isEqualTo(401);
            assertThat(refused.failure().type()).isEqualTo("authentication_error");
            assertThat(refused.failure().message()).doesNotContain(wrong).hasSizeLessThanOrEqualTo(ModelService.MAX_ERROR_CHARS);
        }
        assertThat(runtime.store().all()).as("nothing is stored by a test").isEmpty();
        assertThat(events.modelsChanged).hasValue(0);
    }

    @Test
    void testOfAnEditedModelUsesTheStoredKeyOnlyWhereItWasStoredFor() throws Exception {
        ModelService s = service(cipher);
        try (FakeOpenAi fake = new FakeOpenAi(SECRET)) {
            s.create(body("{\"model_name\": \"rt\", \"litellm_params\": {\"model\": \"openai/gpt-4o\", \"api_base\": \"" + fake.openAiBase()
                    + "\", \"api_key\": \"" + SECRET + "\"}, \"model_info\": {\"id\": \"e\"}}"));
            ModelService.Tested sameEndpoint = s.test(s.deploymentToTest(body("{\"model_info\": {\"id\": \"e\"}, \"litellm_params\": {\"api_key\": \"\", \"temperature\": 0}}")))
                    .await(30, TimeUnit.SECONDS);
            assertThat(sameEndpoint.ok()).as(String.valueOf(sameEndpoint.failure())).isTrue();
            assertThat(fake.lastCall().header("authorization")).isEqualTo("Bearer " + SECRET);

            GatewayException elsewhere = refusal(() -> s.deploymentToTest(body("{\"model_info\": {\"id\": \"e\"}, \"litellm_params\": {\"api_base\": \"https://attacker.example/v1\"}}")));
            assertThat(elsewhere.param()).isEqualTo("litellm_params.api_key");

            ModelService.Tested served = s.test(s.deploymentToTest(body("{\"model_info\": {\"id\": \"e\"}}"))).await(30, TimeUnit.SECONDS);
            assertThat(served.ok()).isTrue();
            assertThat(served.deployment().id()).isEqualTo("e");
        }
        assertThat(refusal(() -> s.deploymentToTest(body("{}"))).param()).isEqualTo("litellm_params");
        assertThat(refusal(() -> s.deploymentToTest(body("{\"model_info\": {\"id\": \"nope\"}}"))).status()).isEqualTo(404);
        GatewayException noModel = refusal(() -> s.deploymentToTest(body("{\"litellm_params\": {\"api_key\": \"x\"}}")));
        assertThat(noModel.getMessage()).isEqualTo("litellm_params.model is required (e.g. openai/gpt-4o-mini).");
        GatewayException badNumber = refusal(() -> s.deploymentToTest(body("{\"litellm_params\": {\"model\": \"mock/t\", \"rpm\": 0.5}}")));
        assertThat(badNumber.param()).isEqualTo("litellm_params.rpm");
    }

    /** What the service announced to the other instances. */
    static final class Announcements implements ClusterEvents {
        final AtomicInteger modelsChanged = new AtomicInteger();

        @Override public void publishModelsChanged() { modelsChanged.incrementAndGet(); }
        @Override public void publishKeyChanged(String tokenHash) {}
        @Override public void publishCooldown(String deploymentId, long untilMillis) {}
        @Override public void onCooldown(BiConsumer<String, Long> listener) {}
        @Override public void onKeyChanged(Consumer<String> listener) {}
        @Override public void onModelsChanged(Runnable listener) {}
    }
}
