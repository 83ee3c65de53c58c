package dev.aigateway.server.transport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.Json;
import dev.aigateway.server.BodyBudget;
import dev.aigateway.testing.RawConnection;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The transport bounds of one gateway, with small values so they show within seconds: 1 s header, body and
 * keep-alive timeouts, 1 MiB of request-body memory, a 4 MiB request-size limit. Raw sockets send what HTTP clients
 * will not (oversized and malformed heads, partial and slow bodies, non-ASCII header bytes).
 */
class TransportBoundsTest {
    static final long MIB = 1024 * 1024;
    static TestGateway gw;
    static BodyBudget budget;

    @BeforeAll
    static void start() {
        gw = TestGateway.start("""
                model_list:
                  - model_name: mock
                    litellm_params: {model: mock/mock-gpt}
                  - model_name: slow
                    litellm_params: {model: mock/slow, mock_latency_ms: 2500, mock_response: "slow but whole"}
                  - model_name: slow-stream
                    litellm_params: {model: mock/slow-stream, mock_latency_ms: 1500, mock_tokens_per_second: 4,
                                     mock_response: "one two three four five six seven eight nine ten"}
                general_settings:
                  max_request_size_mb: 4
                """, Map.of("GATEWAY_HEADER_TIMEOUT_SECONDS", "1", "GATEWAY_BODY_TIMEOUT_SECONDS", "1",
                "GATEWAY_KEEPALIVE_TIMEOUT_SECONDS", "1", "GATEWAY_BODY_MEMORY_MB", "1"));
        budget = gw.server().bodyBudget();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    static int port() {
        return gw.server().port();
    }

    static String chat(String model, String content) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}";
    }

    static String head(String method, String path, String... headers) {
        StringBuilder b = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nhost: localhost\r\n");
        for (String h : headers) b.append(h).append("\r\n");
        return b.append("\r\n").toString();
    }

    static String auth() {
        return "authorization: Bearer " + TestGateway.MASTER_KEY;
    }

    static void assertJsonError(RawConnection.Answer a, int status, String code) {
        assertThat(a).as("an answer before the connection closed").isNotNull();
        assertThat(a.status()).as(a.body()).isEqualTo(status);
        assertThat(a.headers().get("content-type")).startsWith("application/json");
        JsonNode e = Json.parse(a.body()).path("error");
        assertThat(e.path("type").asText()).isNotBlank();
        assertThat(e.path("message").asText()).isNotBlank().doesNotContain("Exception");
        assertThat(e.has("param")).isTrue();
        assertThat(e.path("code").asText()).isEqualTo(code);
    }

    static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        eventually(budget, what, condition);
    }

    static void eventually(BodyBudget budget, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " (body memory in use: " + budget.inUse() + " B)").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    // --- request-body memory

    @Test
    void bodyMemoryComesBackOnEveryPath() throws Exception {
        assertThat(gw.post("/v1/chat/completions", chat("mock", "hi")).statusCode()).isEqualTo(200);
        assertThat(gw.post("/v1/chat/completions", "{\"model\": nope").statusCode()).isEqualTo(400);
        assertThat(gw.post("/v1/chat/completions", chat("mock", "hi"), "sk-wrong").statusCode()).isEqualTo(401);
        try (RawConnection c = new RawConnection(port())) { // over the 4 MiB limit, declared: refused before the body
            c.send(head("POST", "/v1/chat/completions", auth(), "content-type: application/json", "content-length: " + 5 * MIB));
            assertJsonError(c.read(), 413, "request_too_large");
            assertThat(c.closedWithin(5_000)).isTrue();
        }
        assertThat(gw.post("/key/generate", "{\"models\": 12}").statusCode()).isEqualTo(400);
        // a client that leaves in the middle of its body; its declared length takes nothing before its bytes arrive
        try (RawConnection c = new RawConnection(port())) {
            c.send(head("POST", "/v1/chat/completions", auth(), "content-type: application/json", "content-length: 600000"));
            Thread.sleep(300);
            assertThat(budget.inUse()).as("nothing taken for a declared length alone").isZero();
            c.send("{\"model\":\"mock\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "y".repeat(300_000));
            eventually("the partial body is held", () -> budget.inUse() >= 300_000);
        }
        eventually("a body whose client left is given back", () -> budget.inUse() == 0);
        // a client that leaves while the upstream works on its request: the tree is held until the call ends
        try (RawConnection c = new RawConnection(port())) {
            String body = chat("slow", "z".repeat(50_000));
            c.send(head("POST", "/v1/chat/completions", auth(), "content-type: application/json", "content-length: " + body.length()) + body);
            eventually("the request is held during its upstream call", () -> budget.inUse() >= 100_000);
        }
        Thread.sleep(300);
        assertThat(budget.inUse()).as("still held while the upstream call it feeds runs").isGreaterThanOrEqualTo(100_000);
        eventually("given back when the call ends", () -> budget.inUse() == 0);
    }

    @Test
    void anExhaustedBudgetAnswers503GatewayOverloadedAndCloses() throws Exception {
        // its own gateway: the first body is held longer than the shared one's 1 s body timeout allows
        try (TestGateway own = TestGateway.start("model_list:\n  - model_name: mock\n    litellm_params: {model: mock/m}\n",
                Map.of("GATEWAY_BODY_MEMORY_MB", "1"))) {
            overloaded(own, own.server().port(), own.server().bodyBudget());
        }
    }

    private static void overloaded(TestGateway gw, int port, BodyBudget budget) throws Exception {
        try (RawConnection holder = new RawConnection(port)) {
            holder.send(head("POST", "/v1/chat/completions", auth(), "content-type: application/json", "content-length: 1000000"));
            holder.send("{\"model\":\"mock\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "y".repeat(700_000));
            eventually(budget, "the first body is held", () -> budget.inUse() >= 700_000);

            // declared up front: refused before a byte of the body is read
            try (RawConnection c = new RawConnection(port)) {
                c.send(head("POST", "/v1/chat/completions", auth(), "content-type: application/json", "content-length: 600000"));
                RawConnection.Answer a = c.read();
                assertJsonError(a, 503, "gateway_overloaded");
                assertThat(Json.parse(a.body()).path("error").path("type").asText()).isEqualTo("service_unavailable");
                assertThat(a.headers()).containsKey("retry-after");
                assertThat(c.closedWithin(5_000)).as("closed after the answer").isTrue();
            }
            // chunked: refused when the chunk that does not fit arrives
            try (RawConnection c = new RawConnection(port)) {
                c.send(head("POST", "/v1/chat/completions", auth(), "content-type: application/json", "transfer-encoding: chunked"));
                byte[] chunk = ("40000\r\n" + "a".repeat(0x40000) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
                for (int i = 0; i < 3 && c.trySend(chunk); i++) {
                    // 3 x 256 KiB > the 324 KiB left
                }
                RawConnection.Answer a = c.read();
                assertJsonError(a, 503, "gateway_overloaded");
                assertThat(a.headers()).containsKey("retry-after");
                assertThat(c.closedWithin(5_000)).isTrue();
            }
            assertThat(budget.inUse()).as("a refused body gives its bytes back at once").isBetween(700_000L, 1_000_000L);
        }
        eventually(budget, "everything given back", () -> budget.inUse() == 0);
        assertThat(gw.post("/v1/chat/completions", chat("mock", "after")).statusCode()).isEqualTo(200);
    }

    @Test
    void theParsedTreeIsChargedTooSoAComplexBodyIsRefused() throws InterruptedException {
        // 300 KB of text, but about 10 MB as a tree of empty arrays: more than the 1 MiB all bodies may hold
        String junk = "[]," .repeat(100_000);
        var r = gw.post("/v1/chat/completions", "{\"model\":\"mock\",\"metadata\":[" + junk + "[]],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
        JsonNode e = TestGateway.json(r).path("error");
        assertThat(e.path("code").asText()).isEqualTo("request_too_large");
        assertThat(e.path("message").asText()).contains("GATEWAY_BODY_MEMORY_MB");
        eventually("given back", () -> budget.inUse() == 0);
    }

    @Test
    void aChunkedBodyOverTheLimitIs413WithoutAStackTraceInTheLog() throws Exception {
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log = new ch.qos.logback.core.read.ListAppender<>();
        log.start();
        root.addAppender(log);
        try {
            for (int i = 0; i < 3; i++) {
                try (RawConnection c = new RawConnection(port())) {
                    c.send(head("POST", "/v1/chat/completions", auth(), "content-type: application/json", "transfer-encoding: chunked"));
                    byte[] chunk = ("100000\r\n" + "a".repeat(0x100000) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
                    for (int k = 0; k < 5 && c.trySend(chunk); k++) {
                        // 5 MiB, over the 4 MiB limit (and the 1 MiB of body memory)
                    }
                    assertJsonError(c.read(), 413, "request_too_large");
                    assertThat(c.closedWithin(5_000)).isTrue();
                }
            }
            Thread.sleep(200);
        } finally {
            root.detachAppender(log);
        }
        synchronized (log) {
            assertThat(log.list).as("log lines with a stack trace").noneMatch(e -> e.getThrowableProxy() != null);
            assertThat(log.list).as("warnings or errors").noneMatch(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN));
        }
        eventually("given back", () -> budget.inUse() == 0);
    }

    // --- heads the decoder refuses: JSON answers, then the connection is closed

    @Test
    void anOverlongRequestLineIs414WithAJsonBody() throws IOException {
        try (RawConnection c = new RawConnection(port())) {
            c.send(head("GET", "/v1/models?q=" + "a".repeat(9_000)));
            assertJsonError(c.read(), 414, "uri_too_long");
            assertThat(c.closedWithin(5_000)).isTrue();
        }
    }

    @Test
    void anOversizedHeaderBlockIs431WithAJsonBody() throws IOException {
        try (RawConnection c = new RawConnection(port())) {
            c.send(head("GET", "/v1/models", "x-big: " + "b".repeat(17_000)));
            assertJsonError(c.read(), 431, "header_fields_too_large");
            assertThat(c.closedWithin(5_000)).isTrue();
        }
    }

    @Test
    void moreThanAHundredHeaderFieldsIs431AndAHundredAreFine() throws IOException {
        String[] hundred = new String[100];
        hundred[0] = auth();
        for (int i = 1; i < 100; i++) hundred[i] = "x-h: " + i; // one name repeated: fields, not names, are counted
        try (RawConnection c = new RawConnection(port())) {
            c.send(head("GET", "/v1/models", java.util.Arrays.copyOf(hundred, 99))); // + host = 100
            assertThat(c.read().status()).isEqualTo(200);
        }
        try (RawConnection c = new RawConnection(port())) {
            c.send(head("GET", "/v1/models", hundred)); // + host = 101
            assertJsonError(c.read(), 431, "header_fields_too_large");
            assertThat(c.closedWithin(5_000)).isTrue();
        }
    }

    @Test
    void aMalformedRequestIs400WithAJsonBody() throws IOException {
        try (RawConnection c = new RawConnection(port())) {
            c.send("GET /v1/models HTTP/1.1\r\nhost: x\r\ncontent-length: twelve\r\n\r\n");
            assertJsonError(c.read(), 400, "malformed_request");
            assertThat(c.closedWithin(5_000)).isTrue();
        }
    }

    // --- timeouts: what the client sends and how long it idles, never the answer

    @Test
    void headersThatDoNotCompleteInTimeLoseTheConnection() throws IOException {
        try (RawConnection c = new RawConnection(port())) {
            c.send("POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n"); // and never the blank line
            assertThat(c.closedWithin(10_000)).as("closed after the 1 s header timeout").isTrue();
        }
    }

    @Test
    void aBodyThatDoesNotArriveInTimeIs408AndTheConnectionCloses() throws IOException {
        try (RawConnection c = new RawConnection(port())) {
            c.send(head("POST", "/v1/chat/completions", auth(), "content-type: application/json", "content-length: 100"));
            c.send("{\"model\":");
            RawConnection.Answer a = c.read();
            assertJsonError(a, 408, "timeout");
            assertThat(c.closedWithin(5_000)).isTrue();
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAndABusyOneIsNot() throws Exception {
        try (RawConnection c = new RawConnection(port())) {
            for (int i = 0; i < 4; i++) { // 2 s of requests, each within the 1 s keep-alive
                c.send(head("GET", "/health/liveliness"));
                assertThat(c.read().status()).isEqualTo(200);
                Thread.sleep(500);
            }
            assertThat(c.closedWithin(10_000)).as("closed once idle for 1 s").isTrue();
        }
    }

    @Test
    void aStreamAndASlowUpstreamLongerThanEveryTimeoutAreNotCut() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long start = System.nanoTime();
        HttpResponse<String> stream = http.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/chat/completions"))
                .header("authorization", "Bearer " + TestGateway.MASTER_KEY).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"slow-stream\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.body()).contains("ten").contains("[DONE]");
        assertThat(seconds).as("the stream outlasted the 1 s timeouts").isGreaterThan(2);

        HttpResponse<String> slow = gw.post("/v1/chat/completions", chat("slow", "hi"));
        assertThat(slow.statusCode()).isEqualTo(200);
        assertThat(slow.body()).contains("slow but whole");
    }

    // --- x-request-id

    @Test
    void aClientRequestIdOutsidePrintableAsciiIsReplacedNeverRefused() throws IOException {
        assertThat(requestIdEchoed("trace-42/abc=+")).isEqualTo("trace-42/abc=+");
        for (String bad : new String[]{"h\u00e9llo", "caf\u00e9-\u00fc", "two words", "x".repeat(129)}) {
            String echoed = requestIdEchoed(bad);
            assertThat(echoed).as(bad).startsWith("req-");
        }
    }

    private static String requestIdEchoed(String id) throws IOException {
        try (RawConnection c = new RawConnection(port())) {
            byte[] head = head("GET", "/health/liveliness", "x-request-id: " + id).getBytes(StandardCharsets.UTF_8);
            c.send(head);
            RawConnection.Answer a = c.read();
            assertThat(a.status()).isEqualTo(200);
            return a.headers().get("x-request-id");
        }
    }
}
