package dev.aigateway.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.testing.RawConnection;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/api.md's error table for the gateway's own errors: status, type, code and param, in OpenAI's shape. */
class ErrorShapesTest {
    static TestGateway gw;

    @BeforeAll
    static void start() {
        gw = TestGateway.start("""
                model_list:
                  - model_name: mock
                    litellm_params: {model: mock/mock-gpt}
                  - model_name: limited
                    litellm_params: {model: mock/x, mock_error_status: 429}
                  - model_name: overloaded
                    litellm_params: {model: mock/x, mock_error_status: 529}
                general_settings:
                  max_request_size_mb: 0.01
                """);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    static void assertError(HttpResponse<String> r, int status, String type, String code, String param) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(r.headers().firstValue("x-request-id")).isPresent();
        JsonNode e = TestGateway.json(r).path("error");
        assertThat(e.path("message").asText()).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(e.path("type").asText()).isEqualTo(type);
        if (code != null) assertThat(e.path("code").asText()).isEqualTo(code);
        if (param != null) assertThat(e.path("param").asText()).isEqualTo(param);
        assertThat(e.has("param")).isTrue();
        assertThat(e.has("code")).isTrue();
    }

    @Test
    void missingKeyIs401() {
        assertError(gw.post("/v1/chat/completions", "{}", null), 401, "authentication_error", "invalid_api_key", null);
    }

    @Test
    void wrongKeyIs401() {
        assertError(gw.post("/v1/chat/completions", "{}", "sk-wrong"), 401, "authentication_error", "invalid_api_key", null);
        assertError(gw.get("/v1/models", "sk-wrong"), 401, "authentication_error", "invalid_api_key", null);
    }

    @Test
    void unknownModelIs404NamingTheModel() {
        var r = gw.post("/v1/chat/completions", "{\"model\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertError(r, 404, "invalid_request_error", "model_not_found", "model");
        assertThat(r.body()).contains("nope");
        assertError(gw.get("/v1/models/nope", TestGateway.MASTER_KEY), 404, "invalid_request_error", "model_not_found", "model");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "not json at all|",
            "[1,2]|",
            "{\"model\":\"mock\"}|messages",
            "{\"model\":\"mock\",\"messages\":\"hi\"}|messages",
            "{\"model\":\"mock\",\"messages\":[]}|messages",
            "{\"model\":\"mock\",\"messages\":[{\"content\":\"hi\"}]}|messages",
            "{\"model\":\"mock\",\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}|messages",
            "{\"model\":\"mock\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":\"hot\"}|temperature",
            "{\"model\":\"mock\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":7}|temperature",
            "{\"model\":\"mock\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":1.5}|max_tokens",
            "{\"model\":\"mock\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":\"yes\"}|stream",
            "{\"model\":\"mock\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stop\":[1]}|stop",
            "{\"model\":\"mock\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tools\":[{\"type\":\"function\",\"function\":{}}]}|tools",
            "{\"model\":\"mock\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"response_format\":{\"type\":\"xml\"}}|response_format",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}|model",
            "{\"model\":42,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}|model",
    })
    void badRequestsAre400NamingTheField(String body, String param) {
        assertError(gw.post("/v1/chat/completions", body), 400, "invalid_request_error", null, param);
    }

    /** Parser faults are told in JSON's terms: no parser class or feature names, a position, a bounded length. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"model\":\"mock\"} {\"x\":1}|unexpected data after the JSON value (line 1, column",
            "{\"model\":\"mock\",}|(line 1, column",
            "'   '|",
            "{\"model\": tru|(line 1, column",
    })
    void unparseableBodiesNameNoParserInternals(String body, String expected) {
        var r = gw.post("/v1/chat/completions", body);
        assertError(r, 400, "invalid_request_error", null, null);
        String message = TestGateway.json(r).path("error").path("message").asText();
        assertThat(message).doesNotContain("jackson").doesNotContain("Jackson").doesNotContain("DeserializationFeature")
                .doesNotContain("JsonNode").hasSizeLessThan(300);
        if (expected != null) assertThat(message).contains(expected);
    }

    /** Netty's decoder throws on these from getParam(); its message holds the whole query, keys included. */
    @ParameterizedTest
    @CsvSource({"/key/list?size=0%zz", "/key/info?key=sk-secret-in-query-0123&x=%zz", "/v1/spend/logs?request_id=t1%", "/v1/model/info?litellm_model_id=%G1"})
    void badPercentEscapesInTheQueryAre400(String pathAndQuery) throws Exception {
        try (var logs = dev.aigateway.governance.limits.LogCapture.root()) {
            RawConnection.Answer answer;
            try (RawConnection c = new RawConnection(URI.create(gw.baseUrl()).getPort())) { // java.net.http refuses such a URI
                answer = c.send("GET " + pathAndQuery + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestGateway.MASTER_KEY + "\r\n\r\n").read();
            }
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.headers().get("content-type")).startsWith("application/json");
            JsonNode e = dev.aigateway.core.Json.parse(answer.body()).path("error");
            assertThat(e.path("type").asText()).isEqualTo("invalid_request_error");
            assertThat(e.path("message").asText()).contains("query string is not valid");
            assertThat(answer.body()).doesNotContain("sk-secret-in-query");
            assertThat(logs.text()).doesNotContain("sk-secret-in-query").doesNotContain("Exception");
        }
    }

    @Test
    void badEmbeddingsInputIs400() {
        assertError(gw.post("/v1/embeddings", "{\"model\":\"mock\"}"), 400, "invalid_request_error", null, "input");
        assertError(gw.post("/v1/embeddings", "{\"model\":\"mock\",\"input\":\"x\",\"encoding_format\":\"hex\"}"), 400, "invalid_request_error", null, "encoding_format");
    }

    @Test
    void bodyOverLimitIs413() {
        String big = "{\"model\":\"mock\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(20_000) + "\"}]}";
        assertError(gw.post("/v1/chat/completions", big), 413, "invalid_request_error", null, null);
    }

    @Test
    void chunkedBodyOverLimitIs413() {
        String big = "{\"model\":\"mock\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(20_000) + "\"}]}";
        var req = HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/chat/completions"))
                .header("authorization", "Bearer " + TestGateway.MASTER_KEY)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.getBytes())))
                .build();
        assertError(TestGateway.send(req), 413, "invalid_request_error", null, null);
    }

    @Test
    void providerRateLimitIs429WithRetryAfter() {
        var r = gw.post("/v1/chat/completions", "{\"model\":\"limited\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertError(r, 429, "rate_limit_error", "rate_limit_exceeded", null);
        assertThat(r.headers().firstValue("retry-after")).isPresent();
        assertThat(r.body()).contains("mock returned 429");
    }

    @Test
    void providerOverloadedIs503() {
        var r = gw.post("/v1/chat/completions", "{\"model\":\"overloaded\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true}");
        assertError(r, 503, "service_unavailable", null, null);
    }

    @Test
    void unknownRouteIs404AndWrongMethodIs405() {
        assertError(gw.get("/v1/nothing-here", TestGateway.MASTER_KEY), 404, "invalid_request_error", "not_found", null);
        assertError(gw.get("/v1/chat/completions", TestGateway.MASTER_KEY), 405, "invalid_request_error", "method_not_allowed", null);
    }

    @Test
    void everyRouteWorksWithoutV1Prefix() {
        var r = gw.post("/chat/completions", "{\"model\":\"mock\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(gw.get("/models", TestGateway.MASTER_KEY).statusCode()).isEqualTo(200);
        assertThat(gw.get("/v1/models/", TestGateway.MASTER_KEY).statusCode()).isEqualTo(200);
    }

    @Test
    void gatewayHeadersOnEveryResponse() {
        var r = gw.post("/v1/chat/completions", "{\"model\":\"mock\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.headers().firstValue("x-request-id")).hasValueSatisfying(v -> assertThat(v).isNotBlank());
        assertThat(Double.parseDouble(r.headers().firstValue("x-gateway-overhead-duration-ms").orElseThrow())).isGreaterThanOrEqualTo(0);
        var req = HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/health/liveliness")).header("x-request-id", "my-trace-1").GET().build();
        assertThat(TestGateway.send(req).headers().firstValue("x-request-id")).contains("my-trace-1");
    }
}
