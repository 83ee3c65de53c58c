package dev.aigateway.server.models;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.errors.NotFoundException;
import com.anthropic.models.models.ModelInfo;
import com.anthropic.models.models.ModelListPage;
import com.anthropic.models.models.ModelListParams;
import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code GET /v1/models} with {@code anthropic-version} answers in Anthropic's list shape and pages as Anthropic's API
 * does ({@code limit}, {@code after_id}, {@code before_id}); without the header the OpenAI shape stays. Read with raw
 * HTTP for the edges and with the official Anthropic SDK (whose auto-pager follows {@code has_more}/{@code last_id}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnthropicModelsTest {
    static final int MODELS = 25;
    TestGateway gw;
    /** The gateway's model order, as the OpenAI-shaped list gives it. */
    List<String> all;

    @BeforeAll
    void start() {
        StringBuilder config = new StringBuilder("model_list:\n");
        for (int i = 1; i <= MODELS; i++) {
            config.append("  - model_name: m").append(String.format("%02d", i)).append("\n    litellm_params: {model: mock/m").append(i).append("}\n");
        }
        gw = TestGateway.start(config.toString());
        all = new ArrayList<>();
        TestGateway.json(gw.get("/v1/models", TestGateway.MASTER_KEY)).path("data").forEach(m -> all.add(m.path("id").asText()));
        assertThat(all).hasSize(MODELS);
    }

    @AfterAll
    void stop() {
        if (gw != null) gw.close();
    }

    @Test
    void withoutTheHeaderTheOpenAiShapeStays() {
        JsonNode list = TestGateway.json(gw.get("/v1/models", TestGateway.MASTER_KEY));
        assertThat(list.path("object").asText()).isEqualTo("list");
        assertThat(list.path("data")).hasSize(MODELS);
        assertThat(list.path("data").get(0).path("object").asText()).isEqualTo("model");
        assertThat(list.has("has_more")).isFalse();
        assertThat(TestGateway.json(gw.get("/v1/models/m01", TestGateway.MASTER_KEY)).path("owned_by").asText()).isEqualTo("ai-gateway");
    }

    @Test
    void theFirstPageHasTwentyModelsInAnthropicsShape() {
        JsonNode page = get("/v1/models?beta=true", TestGateway.MASTER_KEY, 200);
        assertThat(page.path("data")).hasSize(AnthropicModelPage.DEFAULT_LIMIT);
        JsonNode first = page.path("data").get(0);
        assertThat(first.path("type").asText()).isEqualTo("model");
        assertThat(first.path("id").asText()).isEqualTo(all.get(0));
        assertThat(first.path("display_name").asText()).isEqualTo(all.get(0));
        assertThat(OffsetDateTime.parse(first.path("created_at").asText())).as("RFC 3339").isNotNull();
        assertThat(first.has("object")).isFalse();
        assertThat(page.path("has_more").asBoolean()).isTrue();
        assertThat(page.path("first_id").asText()).isEqualTo(all.get(0));
        assertThat(page.path("last_id").asText()).isEqualTo(all.get(19));
        assertThat(page.has("object")).isFalse();
    }

    @Test
    void afterAndBeforePageBothWays() {
        JsonNode next = get("/v1/models?limit=10&after_id=" + all.get(19), TestGateway.MASTER_KEY, 200);
        assertThat(ids(next)).isEqualTo(all.subList(20, 25));
        assertThat(next.path("has_more").asBoolean()).isFalse();

        JsonNode back = get("/v1/models?limit=10&before_id=" + all.get(20), TestGateway.MASTER_KEY, 200);
        assertThat(ids(back)).as("the page just before the cursor").isEqualTo(all.subList(10, 20));
        assertThat(back.path("has_more").asBoolean()).as("more before it").isTrue();
        assertThat(back.path("first_id").asText()).isEqualTo(all.get(10));

        JsonNode start = get("/v1/models?limit=10&before_id=" + all.get(5), TestGateway.MASTER_KEY, 200);
        assertThat(ids(start)).isEqualTo(all.subList(0, 5));
        assertThat(start.path("has_more").asBoolean()).isFalse();

        JsonNode pastTheEnd = get("/v1/models?after_id=" + all.get(24), TestGateway.MASTER_KEY, 200);
        assertThat(pastTheEnd.path("data")).isEmpty();
        assertThat(pastTheEnd.path("has_more").asBoolean()).isFalse();
        assertThat(pastTheEnd.path("first_id").isNull()).isTrue();
        assertThat(pastTheEnd.path("last_id").isNull()).isTrue();
        assertThat(get("/v1/models?before_id=" + all.get(0), TestGateway.MASTER_KEY, 200).path("data")).isEmpty();

        assertThat(get("/v1/models?limit=1", TestGateway.MASTER_KEY, 200).path("data")).hasSize(1);
        assertThat(get("/v1/models?limit=1000", TestGateway.MASTER_KEY, 200).path("data")).hasSize(MODELS);
        assertThat(get("/v1/models?limit=25", TestGateway.MASTER_KEY, 200).path("has_more").asBoolean()).isFalse();
        assertThat(get("/v1/models?lifecycle=active", TestGateway.MASTER_KEY, 200).path("data")).hasSize(20);
        assertThat(get("/v1/models?lifecycle=deprecated,retired", TestGateway.MASTER_KEY, 200).path("data")).isEmpty();
    }

    @Test
    void badParametersAreAnthropicShaped400s() {
        for (String q : new String[]{"limit=0", "limit=1001", "limit=abc", "limit=-5", "after_id=nope", "before_id=nope",
                "after_id=" + "m01" + "&before_id=" + "m05"}) {
            JsonNode e = get("/v1/models?" + q, TestGateway.MASTER_KEY, 400);
            assertThat(e.path("type").asText()).as(q).isEqualTo("error");
            assertThat(e.path("error").path("type").asText()).as(q).isEqualTo("invalid_request_error");
        }
        JsonNode missing = get("/v1/models/nope", TestGateway.MASTER_KEY, 404);
        assertThat(missing.path("error").path("type").asText()).isEqualTo("not_found_error");
        assertThat(get("/v1/models", "sk-wrong-0000", 401).path("error").path("type").asText()).isEqualTo("authentication_error");
    }

    @Test
    void aKeySeesOnlyItsModelsAndCannotPageFromAnother() {
        String key = TestGateway.json(gw.post("/key/generate", "{\"models\": [\"m03\", \"m07\", \"m11\"]}")).path("key").asText();
        JsonNode page = get("/v1/models?limit=2", key, 200);
        assertThat(ids(page)).containsExactly("m03", "m07");
        assertThat(page.path("has_more").asBoolean()).isTrue();
        assertThat(ids(get("/v1/models?after_id=m07", key, 200))).containsExactly("m11");
        assertThat(get("/v1/models?after_id=m05", key, 400).path("error").path("type").asText())
                .as("a model the key cannot see is no cursor").isEqualTo("invalid_request_error");
        assertThat(get("/v1/models/m07", key, 200).path("type").asText()).isEqualTo("model");
        assertThat(get("/v1/models/m05", key, 404).path("error").path("type").asText()).isEqualTo("not_found_error");
    }

    @Test
    void theOfficialSdkListsEveryModelAcrossPagesAndRetrievesOne() {
        AnthropicClient client = AnthropicOkHttpClient.builder().apiKey(TestGateway.MASTER_KEY).baseUrl(gw.baseUrl())
                .maxRetries(0).timeout(Duration.ofSeconds(20)).build();
        try {
            ModelListPage first = client.models().list(ModelListParams.builder().limit(7).build());
            assertThat(first.data()).hasSize(7);
            assertThat(first.hasNextPage()).isTrue();
            List<String> seen = new ArrayList<>();
            first.autoPager().forEach(m -> seen.add(m.id()));
            assertThat(seen).isEqualTo(all);

            ModelInfo one = client.models().retrieve("m02");
            assertThat(one.id()).isEqualTo("m02");
            assertThat(one.displayName()).isEqualTo("m02");
            assertThat(one.createdAt()).isNotNull();
            assertThat(one.lifecycle()).isEqualTo(ModelInfo.Lifecycle.ACTIVE);
            assertThatThrownBy(() -> client.models().retrieve("missing")).isInstanceOf(NotFoundException.class);

            List<String> beta = new ArrayList<>();
            client.beta().models().list().autoPager().forEach(m -> beta.add(m.id()));
            assertThat(beta).as("the SDK's beta service").isEqualTo(all);
        } finally {
            client.close();
        }
    }

    private static List<String> ids(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.path("data").forEach(m -> out.add(m.path("id").asText()));
        return out;
    }

    private JsonNode get(String path, String key, int status) {
        HttpResponse<String> r = TestGateway.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + path)).timeout(Duration.ofSeconds(20))
                .header("x-api-key", key).header("anthropic-version", "2023-06-01").GET().build());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(status);
        return TestGateway.json(r);
    }
}
