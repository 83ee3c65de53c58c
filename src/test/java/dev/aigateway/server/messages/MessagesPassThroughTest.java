package dev.aigateway.server.messages;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;
import dev.aigateway.fakes.FakeUpstream.Recorded;
import dev.aigateway.fakes.Scenario;
import dev.aigateway.provider.anthropic.FakeAnthropic;
import dev.aigateway.provider.anthropic.FakeAnthropic.Canned;
import dev.aigateway.provider.openai.FakeOpenAi;
import dev.aigateway.testing.LeavingClient;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code /v1/messages} to an {@code anthropic/} deployment passes the client's Anthropic request through and its
 * answer back: what the fake upstream received is compared with what the client sent, and what the client received
 * with what the fake sent (its bytes, for streams). A fallback to an OpenAI-wire group still translates.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MessagesPassThroughTest {
    static final double IN = 0.000003, OUT = 0.000015, CACHE_READ = 0.0000003, CACHE_WRITE = 0.00000375;
    /** Anthropic's usage in the canned answers: input_tokens leaves out the cache reads and writes. */
    static final long INPUT = 100, CACHE_READ_TOKENS = 300, CACHE_WRITE_TOKENS = 20, OUTPUT = 50;

    /** Everything a Claude Code tool loop with thinking sends, and a block type no gateway knows yet. */
    static final String REQUEST = """
            {
              "model": "claude",
              "max_tokens": 2048,
              "system": [{"type": "text", "text": "You are terse.", "cache_control": {"type": "ephemeral", "ttl": "1h"}}],
              "thinking": {"type": "enabled", "budget_tokens": 1024},
              "context_management": {"edits": [{"type": "clear_tool_uses_20250919", "trigger": {"type": "input_tokens", "value": 30000}}]},
              "metadata": {"user_id": "dev-42"},
              "tools": [
                {"name": "get_weather", "description": "Weather", "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}},
                 "cache_control": {"type": "ephemeral"}},
                {"type": "web_search_20250305", "name": "web_search", "max_uses": 2}
              ],
              "tool_choice": {"type": "auto"},
              "messages": [
                {"role": "user", "content": [
                  {"type": "text", "text": "Weather in Paris?"},
                  {"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": "Paris is in France."},
                   "citations": {"enabled": true}}
                ]},
                {"role": "assistant", "content": [
                  {"type": "thinking", "thinking": "I should call the tool.", "signature": "EqQBCgIYAhIM1gbcDa9GJwZA2b3h"},
                  {"type": "redacted_thinking", "data": "EmwKAhgBEgy3va3pzix"},
                  {"type": "tool_use", "id": "toolu_01", "name": "get_weather", "input": {"city": "Paris"}}
                ]},
                {"role": "user", "content": [
                  {"type": "tool_result", "tool_use_id": "toolu_01", "content": [{"type": "text", "text": "18C"}],
                   "cache_control": {"type": "ephemeral"}},
                  {"type": "future_block_type", "payload": {"k": [1, 2]}}
                ]}
              ]
            }""";

    static final String MESSAGE = """
            {"id":"msg_pass_1","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
             "content":[{"type":"thinking","thinking":"Let me see.","signature":"EqQBCgIYAhIM1gbcDa9GJwZA2b3h"},
                        {"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix"},
                        {"type":"text","text":"Done.","citations":[{"type":"char_location","cited_text":"Paris","document_index":0,
                          "document_title":null,"start_char_index":0,"end_char_index":5}]},
                        {"type":"future_block_type","payload":{"n":2}}],
             "stop_reason":"end_turn","stop_sequence":null,"context_management":{"applied_edits":[]},
             "usage":{"input_tokens":100,"cache_creation_input_tokens":20,"cache_read_input_tokens":300,"output_tokens":50,
                      "service_tier":"standard"}}""";

    static final String EVENTS = String.join("",
            sse("message_start", """
                    {"type":"message_start","message":{"id":"msg_pass_2","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":100,"cache_creation_input_tokens":20,"cache_read_input_tokens":300,"output_tokens":1}}}"""),
            sse("content_block_start", """
                    {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}"""),
            sse("content_block_delta", """
                    {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Let me see."}}"""),
            sse("content_block_delta", """
                    {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBCgIYAhIM1gbcDa9GJwZA2b3h"}}"""),
            sse("content_block_stop", """
                    {"type":"content_block_stop","index":0}"""),
            sse("ping", """
                    {"type": "ping"}"""),
            sse("content_block_start", """
                    {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}"""),
            sse("content_block_delta", """
                    {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Done."}}"""),
            sse("content_block_delta", """
                    {"type":"content_block_delta","index":1,"delta":{"type":"citations_delta","citation":{"type":"char_location","cited_text":"Paris","document_index":0,"document_title":null,"start_char_index":0,"end_char_index":5}}}"""),
            sse("content_block_stop", """
                    {"type":"content_block_stop","index":1}"""),
            sse("message_delta", """
                    {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"context_management":{"applied_edits":[]},"usage":{"output_tokens":50}}"""),
            sse("message_stop", """
                    {"type":"message_stop"}"""));

    /** The same with an event type added after this gateway was written (between two blocks, as new types come). */
    static final String EVENTS_WITH_UNKNOWN = EVENTS.replace("event: message_delta",
            "event: future_event_type\ndata: {\"type\":\"future_event_type\",\"anything\":[true]}\n\nevent: message_delta");

    static final String IN_STREAM_ERROR = String.join("",
            EVENTS.substring(0, EVENTS.indexOf("event: content_block_stop")),
            sse("error", """
                    {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"""));

    FakeAnthropic anthropic;
    FakeOpenAi openAi;
    TestGateway gw;
    AnthropicClient sdk;

    static String sse(String event, String data) {
        return "event: " + event + "\ndata: " + data.strip() + "\n\n";
    }

    @BeforeAll
    void start() {
        anthropic = new FakeAnthropic();
        openAi = new FakeOpenAi("sk-openai-fallback-key-0123456789");
        gw = TestGateway.start("""
                model_list:
                  - model_name: claude
                    litellm_params: {model: anthropic/claude-sonnet-4-5, api_base: "%s", api_key: "%s"}
                    model_info: {id: dep-claude, input_cost_per_token: %s, output_cost_per_token: %s,
                                 cache_read_input_token_cost: %s, cache_creation_input_token_cost: %s}
                  - model_name: gpt
                    litellm_params: {model: openai/gpt-4o, api_base: "%s", api_key: "sk-openai-fallback-key-0123456789"}
                router_settings:
                  num_retries: 0
                  allowed_fails: 100000
                """.formatted(anthropic.host(), FakeAnthropic.KEY, IN, OUT, CACHE_READ, CACHE_WRITE, openAi.openAiBase()));
        sdk = AnthropicOkHttpClient.builder().apiKey(TestGateway.MASTER_KEY).baseUrl(gw.baseUrl()).maxRetries(0).build();
    }

    @AfterAll
    void stop() {
        if (sdk != null) sdk.close();
        if (gw != null) gw.close();
        anthropic.close();
        openAi.close();
    }

    @BeforeEach
    void reset() {
        anthropic.reset();
        openAi.reset();
    }

    /** The SDK's request: every top-level field of {@link #REQUEST} set as it is (the SDK has no type for some). */
    static MessageCreateParams params(String json, String beta) throws Exception {
        Map<String, Object> body = new ObjectMapper().readValue(json, new TypeReference<Map<String, Object>>() {});
        MessageCreateParams.Builder b = MessageCreateParams.builder().model("claude").maxTokens(2048)
                .messages(JsonValue.from(body.remove("messages")));
        body.remove("model");
        body.remove("max_tokens");
        body.forEach((k, v) -> b.putAdditionalBodyProperty(k, JsonValue.from(v)));
        if (beta != null) b.putAdditionalHeader("anthropic-beta", beta);
        return b.build();
    }

    static JsonNode withoutModel(JsonNode body) {
        ObjectNode copy = body.deepCopy();
        copy.remove("model");
        return copy;
    }

    HttpResponse<String> post(String body, Map<String, String> headers) {
        return post("/v1/messages", body, headers);
    }

    HttpResponse<String> post(String path, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.baseUrl() + path)).timeout(Duration.ofSeconds(20))
                .header("content-type", "application/json").header("x-api-key", TestGateway.MASTER_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return TestGateway.send(b.build());
    }

    JsonNode spendRow(String clientRequestId) {
        return gw.spendRowOf(clientRequestId);
    }

    @Test
    void everyFieldAndBlockReachesTheUpstreamAsSentAndTheAnswerComesBackUnchanged() throws Exception {
        anthropic.replay(new Canned(200, "application/json", MESSAGE, 0));

        Message m = sdk.messages().create(params(REQUEST, "context-management-2025-06-27,interleaved-thinking-2025-05-14"));

        Recorded r = anthropic.last();
        assertThat(withoutModel(r.json())).isEqualTo(withoutModel(Json.parse(REQUEST)));
        assertThat(r.json().path("model").asText()).as("the deployment's model id").isEqualTo("claude-sonnet-4-5");
        assertThat(r.headers().get("anthropic-beta")).isEqualTo("context-management-2025-06-27,interleaved-thinking-2025-05-14");
        assertThat(r.headers().get("anthropic-version")).as("the SDK's own version, passed on").matches("\\d{4}-\\d{2}-\\d{2}");
        assertThat(r.headers().get("x-api-key")).as("the deployment's key, never the client's").isEqualTo(FakeAnthropic.KEY);
        assertThat(r.headers().get("authorization")).isNull();

        assertThat(m.id()).isEqualTo("msg_pass_1");
        assertThat(m.content()).hasSize(4);
        assertThat(m.content().get(0).thinking().orElseThrow().signature()).isEqualTo("EqQBCgIYAhIM1gbcDa9GJwZA2b3h");
        assertThat(m.content().get(1).isRedactedThinking()).isTrue();
        assertThat(m.content().get(2).text().orElseThrow().citations().orElseThrow()).hasSize(1);
        assertThat(m.usage().cacheReadInputTokens()).contains(CACHE_READ_TOKENS);
        assertThat(m.usage().cacheCreationInputTokens()).contains(CACHE_WRITE_TOKENS);
    }

    /** Anthropic's request id and rate limits reach the client; the organization its key belongs to does not. */
    private static void assertAnthropicsHeaders(HttpResponse<String> r) {
        assertThat(r.headers().firstValue("request-id")).contains(FakeAnthropic.REQUEST_ID);
        assertThat(r.headers().firstValue("anthropic-ratelimit-requests-remaining")).contains(FakeAnthropic.REQUESTS_REMAINING);
        assertThat(r.headers().map().keySet()).filteredOn(h -> h.startsWith("anthropic-ratelimit-")).hasSize(4);
        assertThat(r.headers().firstValue("anthropic-organization-id")).isEmpty();
        assertThat(r.headers().firstValue("x-request-id")).as("the gateway's own, beside Anthropic's").isPresent();
    }

    @Test
    void aNonStreamedAnswerIsTheUpstreamsJsonAndItsSpendIsExact() {
        anthropic.replay(new Canned(200, "application/json", MESSAGE, 0));

        HttpResponse<String> r = post(REQUEST, Map.of("x-request-id", "t-native-json", "anthropic-version", "2099-01-01"));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(TestGateway.json(r)).isEqualTo(Json.parse(MESSAGE));
        assertAnthropicsHeaders(r);
        assertThat(anthropic.last().headers().get("anthropic-version")).as("as the client sent it").isEqualTo("2099-01-01");
        assertThat(anthropic.last().headers().get("anthropic-beta")).isNull();
        assertSpend(spendRow("t-native-json"), false);
    }

    @Test
    void aStreamReachesTheClientByteForByteAndItsSpendIsExact() {
        anthropic.replay(new Canned(200, "text/event-stream", EVENTS_WITH_UNKNOWN, 37)); // pieces cut events anywhere

        HttpResponse<String> r = post(REQUEST.replace("\"max_tokens\": 2048,", "\"max_tokens\": 2048, \"stream\": true,"),
                Map.of("x-request-id", "t-native-sse"));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
        assertThat(r.body()).isEqualTo(EVENTS_WITH_UNKNOWN);
        assertAnthropicsHeaders(r);
        assertThat(anthropic.last().json().path("stream").asBoolean()).isTrue();
        assertSpend(spendRow("t-native-sse"), true);
    }

    @Test
    void theSdkReadsThePassedThroughStream() throws Exception {
        anthropic.replay(new Canned(200, "text/event-stream", EVENTS, 11));
        List<String> seen = new ArrayList<>();
        StringBuilder thinking = new StringBuilder(), text = new StringBuilder(), signature = new StringBuilder();
        try (StreamResponse<RawMessageStreamEvent> s = sdk.messages().createStreaming(params(REQUEST, "interleaved-thinking-2025-05-14"))) {
            s.stream().forEach(e -> {
                e.messageStart().ifPresent(x -> seen.add("message_start"));
                e.contentBlockStart().ifPresent(x -> seen.add("content_block_start"));
                e.contentBlockStop().ifPresent(x -> seen.add("content_block_stop"));
                e.messageDelta().ifPresent(x -> seen.add("message_delta"));
                e.messageStop().ifPresent(x -> seen.add("message_stop"));
                e.contentBlockDelta().ifPresent(d -> {
                    seen.add("content_block_delta");
                    d.delta().thinking().ifPresent(t -> thinking.append(t.thinking()));
                    d.delta().signature().ifPresent(t -> signature.append(t.signature()));
                    d.delta().text().ifPresent(t -> text.append(t.text()));
                });
            });
        }
        List<String> sent = new ArrayList<>();
        for (String line : EVENTS.split("\n")) {
            if (line.startsWith("event: ") && !line.equals("event: ping")) sent.add(line.substring(7));
        }
        assertThat(seen).isEqualTo(sent);
        assertThat(thinking).hasToString("Let me see.");
        assertThat(signature).hasToString("EqQBCgIYAhIM1gbcDa9GJwZA2b3h");
        assertThat(text).hasToString("Done.");
        assertThat(anthropic.last().headers().get("anthropic-beta")).isEqualTo("interleaved-thinking-2025-05-14");
        JsonNode sentBody = anthropic.last().json();
        assertThat(sentBody.path("stream").asBoolean()).isTrue();
        ObjectNode expected = (ObjectNode) withoutModel(Json.parse(REQUEST));
        expected.put("stream", true);
        assertThat(withoutModel(sentBody)).isEqualTo(expected);
    }

    @Test
    void aClientWithoutAnthropicVersionGetsTheDefault() {
        anthropic.replay(new Canned(200, "application/json", MESSAGE, 0));
        assertThat(post("/v1/messages?beta=true", REQUEST, Map.of()).statusCode()).as("Claude Code's query").isEqualTo(200);
        assertThat(anthropic.last().headers().getAll("anthropic-version")).containsExactly("2023-06-01");
        assertThat(anthropic.last().query()).as("the gateway's query is its own").isNullOrEmpty();
    }

    @Test
    void anErrorEventInTheStreamReachesTheClientAsAnthropicSentIt() {
        anthropic.replay(new Canned(200, "text/event-stream", IN_STREAM_ERROR, 0));

        HttpResponse<String> r = post(REQUEST.replace("\"max_tokens\": 2048,", "\"max_tokens\": 2048, \"stream\": true,"), Map.of());

        assertThat(r.body()).isEqualTo(IN_STREAM_ERROR);
    }

    @Test
    void upstreamErrorsKeepAnthropicsTypeAndText() {
        anthropic.scenario(new Scenario.Error(529));
        HttpResponse<String> overloaded = post(REQUEST, Map.of());
        assertThat(overloaded.statusCode()).as("Anthropic's own status (OpenAI's routes say 503)").isEqualTo(529);
        // Anthropic's type and text as sent; our error code beside them (a field Anthropic's clients ignore)
        assertThat(TestGateway.json(overloaded)).isEqualTo(Json.parse("""
                {"type":"error","error":{"type":"overloaded_error","message":"Overloaded","code":"service_unavailable"}}"""));
        assertThat(overloaded.headers().firstValue("x-request-id")).isPresent();

        anthropic.scenario(new Scenario.Error(500));
        HttpResponse<String> failed = post(REQUEST, Map.of());
        assertThat(failed.statusCode()).as("a 500 is the gateway's own fault only: Anthropic's stays the table's 502").isEqualTo(502);
        assertThat(TestGateway.json(failed).path("error").path("type").asText()).isEqualTo("api_error");

        anthropic.scenario(new Scenario.Error(400));
        AnthropicServiceException e = catchThrowableOfType(AnthropicServiceException.class,
                () -> sdk.messages().create(params(REQUEST, null)));
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.getMessage()).contains("invalid_request_error")
                .contains("messages.1.content.0.text: text content blocks must be non-empty").doesNotContain("anthropic returned");
    }

    @Test
    void upstreamErrorTextIsRedacted() {
        anthropic.scenario(new Scenario.Error(401, "echo_key"));
        HttpResponse<String> r = post(REQUEST, Map.of());
        JsonNode e = TestGateway.json(r).path("error");
        assertThat(e.path("type").asText()).isEqualTo("authentication_error");
        assertThat(e.path("message").asText()).startsWith("invalid x-api-key: ").contains("[redacted]").doesNotContain(FakeAnthropic.KEY);
    }

    @Test
    void aFallbackToAnOpenAiGroupStillTranslates() {
        anthropic.scenario(new Scenario.Error(529));
        // the fallback cannot express the unknown block: it must be left out of a request that translates
        String known = REQUEST.replace(",\n      {\"type\": \"future_block_type\", \"payload\": {\"k\": [1, 2]}}", "");
        assertThat(known).doesNotContain("future_block_type");
        HttpResponse<String> r = post(known.replace("\"max_tokens\": 2048,", "\"max_tokens\": 2048, \"fallbacks\": [\"gpt\"],"), Map.of());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode answer = TestGateway.json(r);
        assertThat(answer.path("type").asText()).isEqualTo("message");
        assertThat(answer.path("content").get(0).path("text").asText()).isEqualTo("Hello from the fake!");
        assertThat(anthropic.last().json().has("fallbacks")).as("the gateway's own field is not sent").isFalse();
        FakeOpenAi.Call call = openAi.calls().get(openAi.calls().size() - 1);
        assertThat(call.json().path("messages").get(0).path("role").asText()).isEqualTo("system");
        assertThat(call.json().has("thinking")).isFalse();
        assertThat(call.json().has("reasoning_effort")).as("gpt-4o does not reason: it would refuse an effort").isFalse();
        assertThat(call.json().has("fallbacks")).isFalse();
    }

    /**
     * Claude Code sends back the thinking blocks an earlier turn got from another provider through the gateway
     * (signature ""): Anthropic would refuse them, so they are left out; its own signed thinking and redacted_thinking
     * blocks stay, and a turn left empty is left out.
     */
    @Test
    void unsignedThinkingBlocksAreLeftOutAndSignedOnesKept() {
        anthropic.replay(new Canned(200, "application/json", MESSAGE, 0));
        String request = """
                {"model": "claude", "max_tokens": 2048, "thinking": {"type": "enabled", "budget_tokens": 1024},
                 "messages": [
                   {"role": "user", "content": "Weather in Paris?"},
                   {"role": "assistant", "content": [
                     {"type": "thinking", "thinking": "From another model.", "signature": ""},
                     {"type": "tool_use", "id": "toolu_01", "name": "get_weather", "input": {"city": "Paris"}}
                   ]},
                   {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_01", "content": "18C"}]},
                   {"role": "assistant", "content": [
                     {"type": "thinking", "thinking": "I should call the tool.", "signature": "EqQBCgIYAhIM1gbcDa9GJwZA2b3h"},
                     {"type": "redacted_thinking", "data": "EmwKAhgBEgy3va3pzix"},
                     {"type": "thinking", "thinking": "No signature at all."},
                     {"type": "text", "text": "18C in Paris."}
                   ]},
                   {"role": "user", "content": "And tomorrow?"},
                   {"role": "assistant", "content": [{"type": "thinking", "thinking": "Only this.", "signature": ""}]},
                   {"role": "user", "content": "Well?"}
                 ]}""";

        HttpResponse<String> r = post(request, Map.of());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        ObjectNode expected = (ObjectNode) Json.parse(request);
        ArrayNode messages = (ArrayNode) expected.get("messages");
        ((ArrayNode) messages.get(1).get("content")).remove(0);
        ((ArrayNode) messages.get(3).get("content")).remove(2);
        messages.remove(5);
        assertThat(withoutModel(anthropic.last().json())).isEqualTo(withoutModel(expected));
        assertThat(anthropic.last().json().path("messages")).hasSize(6);
    }

    @Test
    void aBlockTheTranslationCannotExpressFailsOnlyTranslatedAttempts() {
        anthropic.scenario(new Scenario.Error(529));
        HttpResponse<String> r = post(REQUEST.replace("\"max_tokens\": 2048,", "\"max_tokens\": 2048, \"fallbacks\": [\"gpt\"],"), Map.of());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(TestGateway.json(r).path("error").path("message").asText()).contains("future_block_type");
        assertThat(openAi.calls()).isEmpty();
    }

    @Test
    void aPassedThroughStreamTheClientCutIsChargedWhatWasGenerated() throws Exception {
        anthropic.scenario(new Scenario.SlowStream("one two three four five six seven eight nine ten ".repeat(6), 40));
        String body = "{\"model\":\"claude\",\"max_tokens\":1000,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a story\"}]}";
        LeavingClient.Result r = LeavingClient.postAndLeave(gw.baseUrl(), "/v1/messages", TestGateway.MASTER_KEY, "t-native-cut", body,
                got -> LeavingClient.occurrences(got, "text_delta") >= 5, 10_000);
        assertThat(r.left()).isTrue();
        assertThat(r.received()).contains("event: message_start").doesNotContain("message_stop");

        JsonNode row = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (row == null && System.nanoTime() < deadline) {
            gw.server().governance().spendLog().flush();
            JsonNode rows = TestGateway.json(gw.get("/spend/logs?request_id=t-native-cut", TestGateway.MASTER_KEY));
            if (rows.isArray() && !rows.isEmpty()) row = rows.get(0);
            else Thread.sleep(50);
        }
        assertThat(row).as("a spend row for the cut stream").isNotNull();
        assertThat(row.path("metadata").path("http_status").asInt()).isEqualTo(499);
        assertThat(row.path("completion_tokens").asLong()).as("the words that reached the gateway").isGreaterThanOrEqualTo(5);
        assertThat(row.path("prompt_tokens").asLong()).as("the prompt as Anthropic counted it in message_start, cache included")
                .isEqualTo(FakeAnthropic.INPUT_TOKENS + FakeAnthropic.CACHE_READ + FakeAnthropic.CACHE_CREATION);
        assertThat(row.path("metadata").path("cached_tokens").asLong()).isEqualTo(FakeAnthropic.CACHE_READ);
        assertThat(row.path("spend").asDouble()).isPositive();
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (anthropic.aborted() == 0 && System.nanoTime() < until) Thread.sleep(20);
        assertThat(anthropic.aborted()).as("the upstream is cancelled, not read to the end").isPositive();
    }

    private static void assertSpend(JsonNode row, boolean stream) {
        long prompt = INPUT + CACHE_READ_TOKENS + CACHE_WRITE_TOKENS;
        assertThat(row.path("prompt_tokens").asLong()).isEqualTo(prompt);
        assertThat(row.path("completion_tokens").asLong()).isEqualTo(OUTPUT);
        assertThat(row.path("metadata").path("cached_tokens").asLong()).isEqualTo(CACHE_READ_TOKENS);
        assertThat(row.path("metadata").path("stream").asBoolean()).isEqualTo(stream);
        assertThat(row.path("spend").asDouble()).isCloseTo(
                INPUT * IN + CACHE_READ_TOKENS * CACHE_READ + CACHE_WRITE_TOKENS * CACHE_WRITE + OUTPUT * OUT, within(1e-12));
        assertThat(row.path("call_type").asText()).isNotBlank();
        assertThat(row.path("status").asText()).isEqualTo("success");
    }
}
