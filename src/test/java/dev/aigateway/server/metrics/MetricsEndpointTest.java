package dev.aigateway.server.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.governance.Authenticator;
import dev.aigateway.provider.openai.FakeOpenAi;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * GET /metrics on a real gateway: requests through a provider fake with a virtual key, a refused key and a
 * failing deployment, then the scraped page is read as Prometheus reads it and every figure checked.
 */
class MetricsEndpointTest {
    private static final String PROVIDER_KEY = "sk-provider-metrics-0123456789abcdefghij";
    private static final String CHAT = "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]%s}";

    @Test
    void countsRequestsTokensSpendLatencyFailuresCooldownsAndBudgets() {
        try (FakeOpenAi fake = new FakeOpenAi(PROVIDER_KEY);
             TestGateway gw = TestGateway.start("""
                     model_list:
                       - model_name: gpt-4o
                         litellm_params: {model: openai/gpt-4o, api_base: "%s", api_key: %s}
                         model_info: {id: gpt-4o-fake}
                       - model_name: flaky
                         litellm_params: {model: mock/flaky, mock_error_status: 500}
                         model_info: {id: flaky-1}
                     router_settings:
                       num_retries: 0
                       allowed_fails: 0
                       cooldown_time: 60
                     """.formatted(fake.openAiBase(), PROVIDER_KEY))) {
            JsonNode generated = TestGateway.json(gw.post("/key/generate", "{\"key_alias\":\"metrics-team\",\"max_budget\":10}"));
            String key = generated.path("key").asText();
            assertThat(key).startsWith("sk-");

            for (int i = 0; i < 2; i++) assertThat(gw.post("/v1/chat/completions", CHAT.formatted("gpt-4o", ""), key).statusCode()).isEqualTo(200);
            HttpResponse<String> stream = gw.post("/v1/chat/completions", CHAT.formatted("gpt-4o", ",\"stream\":true"), key);
            assertThat(stream.statusCode()).isEqualTo(200);
            assertThat(stream.body()).contains("data: [DONE]");
            assertThat(gw.post("/v1/chat/completions", CHAT.formatted("gpt-4o", ""), "sk-not-a-key-at-all").statusCode()).isEqualTo(401);
            assertThat(gw.post("/v1/chat/completions", CHAT.formatted("flaky", "")).statusCode()).as("an upstream 500 is answered as 502").isEqualTo(502);

            await().atMost(Duration.ofSeconds(5)).until(() -> gw.server().metrics().inFlight() == 0);
            HttpResponse<String> r = gw.get("/metrics", TestGateway.MASTER_KEY);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type")).contains("text/plain; version=0.0.4; charset=utf-8");
            PrometheusText m = PrometheusText.parse(r.body());
            m.assertWellFormed();

            String[] team = {"api_key_alias", "metrics-team", "requested_model", "gpt-4o"};
            assertThat(m.sum("litellm_proxy_total_requests_metric_total", with(team, "status_code", "200"))).isEqualTo(3);
            assertThat(m.sum("litellm_requests_metric_total", team)).isEqualTo(3);
            assertThat(m.matching("litellm_requests_metric_total", team).get(0).labels())
                    .containsEntry("model", "openai/gpt-4o").containsEntry("model_id", "gpt-4o-fake")
                    .containsEntry("hashed_api_key", Authenticator.hash(key));
            assertThat(m.sum("litellm_input_tokens_metric_total", team)).isEqualTo(3 * FakeOpenAi.DEFAULT_PROMPT_TOKENS);
            assertThat(m.sum("litellm_output_tokens_metric_total", team)).isEqualTo(3 * FakeOpenAi.DEFAULT_COMPLETION_TOKENS);
            assertThat(m.sum("litellm_total_tokens_metric_total", team))
                    .isEqualTo(3 * (FakeOpenAi.DEFAULT_PROMPT_TOKENS + FakeOpenAi.DEFAULT_COMPLETION_TOKENS));
            assertThat(m.sum("litellm_total_tokens_total", team)).isEqualTo(m.sum("litellm_total_tokens_metric_total", team));
            assertThat(m.sum("litellm_spend_metric_total", team)).as("gpt-4o has a price").isGreaterThan(0);

            assertThat(m.sum("litellm_request_total_latency_metric_count", team)).isEqualTo(3);
            assertThat(m.sum("litellm_request_total_latency_metric_bucket", with(team, "le", "+Inf"))).isEqualTo(3);
            assertThat(m.sum("litellm_request_total_latency_metric_sum", team)).isGreaterThan(0).isLessThan(30);
            assertThat(m.sum("litellm_llm_api_time_to_first_token_metric_count", team)).as("one stream").isEqualTo(1);
            assertThat(m.sum("gateway_overhead_seconds_count", "requested_model", "gpt-4o")).as("every gpt-4o request incl. the 401").isEqualTo(3);
            assertThat(m.sum("gateway_in_flight_requests")).isZero();

            assertThat(m.sum("litellm_proxy_failed_requests_metric_total", "exception_status", "401", "exception_class", "authentication_error"))
                    .isEqualTo(1);
            assertThat(m.sum("litellm_proxy_total_requests_metric_total", "status_code", "401")).isEqualTo(1);
            assertThat(m.sum("litellm_proxy_failed_requests_metric_total", "requested_model", "flaky", "exception_status", "502")).isEqualTo(1);
            assertThat(m.sum("litellm_deployment_failure_responses_total", "model_id", "flaky-1", "exception_status", "502")).isEqualTo(1);
            assertThat(m.sum("litellm_deployment_cooled_down_total", "model_id", "flaky-1", "exception_status", "502")).isEqualTo(1);
            assertThat(m.sum("litellm_deployment_state", "model_id", "flaky-1")).as("cooling down").isEqualTo(1);
            assertThat(m.sum("litellm_deployment_state", "model_id", "gpt-4o-fake")).as("healthy").isZero();
            assertThat(m.matching("litellm_deployment_state", "model_id", "gpt-4o-fake").get(0).labels())
                    .containsEntry("api_provider", "openai").containsEntry("api_base", fake.openAiBase())
                    .containsEntry("litellm_model_name", "openai/gpt-4o");
            assertThat(m.sum("gateway_deployment_in_flight_requests", "model_id", "gpt-4o-fake")).as("the stream ended").isZero();

            // Spend as last loaded from the database: 10 until the spend writer has booked and the registry re-read it.
            assertThat(m.sum("litellm_remaining_api_key_budget_metric", "api_key_alias", "metrics-team")).isBetween(9.9, 10.0);
            assertThat(m.sum("litellm_api_key_max_budget_metric", "api_key_alias", "metrics-team")).isEqualTo(10);

            assertThat(m.types()).containsEntry("gateway_spend_queue_rows", "gauge").containsEntry("gateway_spend_queue_oldest_age_seconds", "gauge");
            assertThat(m.sum("process_resident_memory_bytes")).isGreaterThan(10 * 1024 * 1024);
            assertThat(m.sum("jvm_memory_used_bytes", "area", "heap")).isGreaterThan(0);
            assertThat(m.sum("jvm_threads_current")).isGreaterThan(1);
            assertThat(m.matching("jvm_gc_collection_seconds_count")).isNotEmpty();
            assertThat(m.sum("process_cpu_seconds_total")).isGreaterThan(0);

            assertThat(r.body()).as("no credential on the page")
                    .doesNotContain(key).doesNotContain(PROVIDER_KEY).doesNotContain(TestGateway.MASTER_KEY)
                    .doesNotContain(Authenticator.hash(TestGateway.MASTER_KEY));
        }
    }

    @Test
    void metricsNeedTheMasterKeyAnAdminKeyOrAReadOnlyKeyByDefault() {
        try (TestGateway gw = TestGateway.start("""
                model_list:
                  - model_name: mock
                    litellm_params: {model: mock/mock-gpt}
                """)) {
            HttpResponse<String> refused = gw.get("/metrics", null);
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(TestGateway.json(refused).path("error").path("type").asText()).isEqualTo("authentication_error");
            assertThat(refused.body()).doesNotContain("litellm_");
            assertThat(gw.get("/v1/metrics", "sk-not-a-key-at-all").statusCode()).isEqualTo(401);
            String plain = TestGateway.json(gw.post("/key/generate", "{\"key_alias\":\"llm-only\"}")).path("key").asText();
            String readOnly = TestGateway.json(gw.post("/key/generate", "{\"key_alias\":\"scraper\",\"key_type\":\"read_only\"}")).path("key").asText();
            String admin = TestGateway.json(gw.post("/key/generate", "{\"key_alias\":\"ops\",\"key_type\":\"management\"}")).path("key").asText();
            HttpResponse<String> llmKey = gw.get("/metrics", plain);
            assertThat(llmKey.statusCode()).as("a key for LLM calls does not read every key's spend").isEqualTo(403);
            assertThat(TestGateway.json(llmKey).path("error").path("type").asText()).isEqualTo("permission_error");
            for (String key : new String[]{TestGateway.MASTER_KEY, readOnly, admin}) {
                HttpResponse<String> ok = gw.get("/metrics", key);
                assertThat(ok.statusCode()).isEqualTo(200);
                assertThat(ok.body()).contains("# TYPE litellm_proxy_total_requests_metric_total counter");
            }
        }
    }

    @Test
    void metricsCanBeOpenedForAScraperThatCannotSendAKeyAndAnswerUnderV1Too() {
        try (TestGateway gw = TestGateway.start("""
                model_list:
                  - model_name: mock
                    litellm_params: {model: mock/mock-gpt}
                general_settings:
                  require_auth_for_metrics_endpoint: false
                """)) {
            assertThat(gw.server().config().warnings()).noneMatch(w -> w.contains("require_auth_for_metrics_endpoint"));
            assertThat(gw.post("/v1/chat/completions", CHAT.formatted("mock", "")).statusCode()).isEqualTo(200);
            HttpResponse<String> open = gw.get("/v1/metrics", null);
            assertThat(open.statusCode()).isEqualTo(200);
            PrometheusText m = PrometheusText.parse(open.body());
            assertThat(m.sum("litellm_proxy_total_requests_metric_total", "api_key_alias", "master-key", "status_code", "200")).isEqualTo(1);
            assertThat(m.matching("litellm_requests_metric_total", "api_key_alias", "master-key").get(0).labels())
                    .as("the master key's hash is not published").containsEntry("hashed_api_key", "");
        }
    }

    private static String[] with(String[] base, String... more) {
        String[] out = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, out, base.length, more.length);
        return out;
    }
}
