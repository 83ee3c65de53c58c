package dev.aigateway.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.provider.openai.FakeOpenAi;
import dev.aigateway.server.chat.ChatRequestValidator;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpResponse;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every number and count a request to an LLM route gives is bounded: at the limit the request is served, one past
 * it (or absurdly past it) is a 400 naming the parameter, and the gateway keeps answering. The limits are the
 * validators' constants, documented in docs/api.md.
 */
class RequestBoundsTest {
    static final String KEY = "sk-upstream";
    static FakeOpenAi openai;
    static TestGateway gw;

    @BeforeAll
    static void start() {
        openai = new FakeOpenAi(KEY);
        gw = TestGateway.start("""
                model_list:
                  - model_name: mock
                    litellm_params: {model: mock/mock-gpt}
                  - model_name: gpt
                    litellm_params: {model: openai/gpt-4o, api_base: %s, api_key: %s}
                """.formatted(openai.openAiBase(), KEY));
    }

    @AfterAll
    static void stop() {
        gw.close();
        openai.close();
    }

    static final String HI = "[{\"role\":\"user\",\"content\":\"hi\"}]";

    static String chat(String model, String extra) {
        return "{\"model\":\"" + model + "\",\"messages\":" + HI + extra + "}";
    }

    static String repeat(String item, int times) {
        return IntStream.range(0, times).mapToObj(i -> item.replace("#", Integer.toString(i))).collect(Collectors.joining(",", "[", "]"));
    }

    static void assertBadParam(HttpResponse<String> r, String param) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode e = TestGateway.json(r).path("error");
        assertThat(e.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(e.path("param").asText()).as(r.body()).isEqualTo(param);
        assertThat(e.path("message").asText()).contains(param);
    }

    static void assertOk(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    // --- the Responses API: its own field names, before translation

    @Test
    void responsesRequestsAreBoundedInTheirOwnFieldNames() {
        String base = "{\"model\":\"mock\",\"input\":\"hi\"";
        assertOk(gw.post("/v1/responses", base + ",\"max_output_tokens\":2147483647}"));
        assertBadParam(gw.post("/v1/responses", base + ",\"max_output_tokens\":2147483648}"), "max_output_tokens");
        assertBadParam(gw.post("/v1/responses", "{\"model\":\"mock\",\"input\":" + repeat("{\"role\":\"user\",\"content\":\"#\"}", 100_001) + "}"), "input");
        assertBadParam(gw.post("/v1/responses", base + ",\"tools\":" + repeat("{\"type\":\"function\",\"name\":\"f#\"}", 10_001) + "}"), "tools");
        assertBadParam(gw.post("/v1/responses", base + ",\"include\":" + repeat("\"x#\"", 33) + "}"), "include");
        assertBadParam(gw.post("/v1/responses", base + ",\"metadata\":{\"" + "k".repeat(65) + "\":\"v\"}}"), "metadata");
        assertBadParam(gw.post("/v1/responses", base + ",\"top_logprobs\":21}"), "top_logprobs");
        assertOk(gw.post("/v1/responses", base + "}"));
    }

    // --- the finding: an embeddings request that sized an allocation by its dimensions

    @Test
    void hugeEmbeddingDimensionsAreA400AndTheGatewayKeepsAnswering() {
        assertBadParam(gw.post("/v1/embeddings", "{\"model\":\"mock\",\"input\":\"x\",\"dimensions\":2000000000}"), "dimensions");
        assertBadParam(gw.post("/v1/embeddings", "{\"model\":\"mock\",\"input\":\"x\",\"dimensions\":100000000000000000000}"), "dimensions");
        assertOk(gw.post("/v1/chat/completions", chat("mock", "")));
    }

    @Test
    void theMockBoundsTheNumbersItBuildsInTheHeap() {
        // each within the API's bounds, together more numbers than the mock answers with (512 x 256)
        assertOk(gw.post("/v1/embeddings", "{\"model\":\"mock\",\"input\":" + repeat("\"t#\"", 512) + "}"));
        assertOk(gw.post("/v1/embeddings", "{\"model\":\"mock\",\"input\":" + repeat("\"t#\"", 16) + ",\"dimensions\":8192}"));
        assertBadParam(gw.post("/v1/embeddings", "{\"model\":\"mock\",\"input\":" + repeat("\"t#\"", 513) + "}"), "input");
        assertBadParam(gw.post("/v1/embeddings", "{\"model\":\"mock\",\"input\":" + repeat("\"t#\"", 17) + ",\"dimensions\":8192}"), "dimensions");
        assertBadParam(gw.post("/v1/embeddings", "{\"model\":\"mock\",\"input\":" + repeat("\"t#\"", 2048) + ",\"dimensions\":257}"), "dimensions");
    }

    // --- chat: limit + 1 (and absurd values) -> 400 naming the parameter

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            ",\"n\":129|n",
            ",\"n\":100000000000000000000|n",
            ",\"n\":1e20|n",
            ",\"max_tokens\":2147483648|max_tokens",
            ",\"max_tokens\":100000000000000000000|max_tokens",
            ",\"max_tokens\":1e20|max_tokens",
            ",\"max_tokens\":-1|max_tokens",
            ",\"max_completion_tokens\":2147483648|max_completion_tokens",
            ",\"top_logprobs\":21|top_logprobs",
            ",\"logprobs\":5|logprobs",
            ",\"seed\":9223372036854775808|seed",
            ",\"top_k\":2147483648|top_k",
            ",\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2147483648}|thinking.budget_tokens",
            ",\"temperature\":1e400|temperature",
            ",\"num_retries\":4294967297|num_retries",
    })
    void chatNumbersPastTheirLimitAre400s(String extra, String param) {
        assertBadParam(gw.post("/v1/chat/completions", chat("mock", extra)), param);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            ",\"n\":128",
            ",\"max_tokens\":2147483647",
            ",\"max_completion_tokens\":2147483647",
            ",\"top_logprobs\":20,\"logprobs\":true",
            ",\"seed\":9223372036854775807",
            ",\"top_k\":2147483647",
            ",\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2147483647}",
            ",\"num_retries\":10",
    })
    void chatNumbersAtTheirLimitAreServed(String extra) {
        assertOk(gw.post("/v1/chat/completions", chat("mock", extra)));
    }

    @Test
    void chatArraysAreBoundedAtTheirLimit() {
        String messages = repeat("{\"role\":\"user\",\"content\":\"m#\"}", 100_000);
        assertOk(gw.post("/v1/chat/completions", "{\"model\":\"mock\",\"messages\":" + messages + "}"));
        String tooMany = repeat("{\"role\":\"user\",\"content\":\"m#\"}", 100_001);
        assertBadParam(gw.post("/v1/chat/completions", "{\"model\":\"mock\",\"messages\":" + tooMany + "}"), "messages");

        String tool = "{\"type\":\"function\",\"function\":{\"name\":\"f#\",\"parameters\":{\"type\":\"object\"}}}";
        int maxTools = ChatRequestValidator.MAX_TOOLS;
        assertOk(gw.post("/v1/chat/completions", chat("mock", ",\"tools\":" + repeat(tool, maxTools))));
        assertBadParam(gw.post("/v1/chat/completions", chat("mock", ",\"tools\":" + repeat(tool, maxTools + 1))), "tools");

        assertOk(gw.post("/v1/chat/completions", chat("mock", ",\"stop\":" + repeat("\"s#\"", 16))));
        assertBadParam(gw.post("/v1/chat/completions", chat("mock", ",\"stop\":" + repeat("\"s#\"", 17))), "stop");

        assertOk(gw.post("/v1/chat/completions", chat("mock", ",\"fallbacks\":" + repeat("\"mock\"", 32))));
        assertBadParam(gw.post("/v1/chat/completions", chat("mock", ",\"fallbacks\":" + repeat("\"mock\"", 33))), "fallbacks");
    }

    // --- completions: validated too (they were not), limits at and past

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"n\":129|n",
            "\"n\":100000000000000000000|n",
            "\"best_of\":21|best_of",
            "\"best_of\":2,\"n\":3|best_of",
            "\"logprobs\":6|logprobs",
            "\"max_tokens\":2147483648|max_tokens",
            "\"max_tokens\":1e20|max_tokens",
            "\"temperature\":3|temperature",
            "\"stream\":\"yes\"|stream",
    })
    void completionNumbersPastTheirLimitAre400s(String fields, String param) {
        assertBadParam(gw.post("/v1/completions", "{\"model\":\"mock\",\"prompt\":\"hi\"," + fields + "}"), param);
        assertBadParam(gw.post("/v1/completions", "{\"model\":\"gpt\",\"prompt\":\"hi\"," + fields + "}"), param);
    }

    @Test
    void completionsAtTheirLimitsAreServed() {
        assertOk(gw.post("/v1/completions", "{\"model\":\"gpt\",\"prompt\":\"hi\",\"n\":20,\"best_of\":20,\"logprobs\":5,\"max_tokens\":2147483647}"));
        assertOk(gw.post("/v1/completions", "{\"model\":\"gpt\",\"prompt\":" + repeat("\"p#\"", 2048) + "}"));
        assertBadParam(gw.post("/v1/completions", "{\"model\":\"gpt\",\"prompt\":" + repeat("\"p#\"", 2049) + "}"), "prompt");
        assertOk(gw.post("/v1/completions", "{\"model\":\"gpt\",\"prompt\":" + repeat("#", 5000) + "}")); // one prompt of 5000 tokens
        assertBadParam(gw.post("/v1/completions", "{\"model\":\"mock\"}"), "prompt");
    }

    // --- embeddings

    @Test
    void embeddingsAtAndPastTheirLimits() {
        assertOk(gw.post("/v1/embeddings", "{\"model\":\"mock\",\"input\":\"x\",\"dimensions\":8192}"));
        assertBadParam(gw.post("/v1/embeddings", "{\"model\":\"mock\",\"input\":\"x\",\"dimensions\":8193}"), "dimensions");
        assertBadParam(gw.post("/v1/embeddings", "{\"model\":\"mock\",\"input\":\"x\",\"dimensions\":0}"), "dimensions");
        var r = gw.post("/v1/embeddings", "{\"model\":\"gpt\",\"input\":" + repeat("\"t#\"", 2048) + "}");
        assertOk(r);
        assertThat(TestGateway.json(r).path("data")).hasSize(2048);
        assertBadParam(gw.post("/v1/embeddings", "{\"model\":\"gpt\",\"input\":" + repeat("\"t#\"", 2049) + "}"), "input");
        assertOk(gw.post("/v1/embeddings", "{\"model\":\"gpt\",\"input\":" + repeat("#", 5000) + "}")); // one tokenized input
    }

    // --- /v1/messages: Anthropic's names, the chat API's limits

    static String messages(String extra) {
        return "{\"model\":\"mock\",\"max_tokens\":16,\"messages\":" + HI + extra + "}";
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "max_tokens|2147483648",
            "max_tokens|100000000000000000000",
            "top_k|2147483648",
            "stop_sequences|" + "[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\",\"j\",\"k\",\"l\",\"m\",\"n\",\"o\",\"p\",\"q\"]",
    })
    void messagesNumbersPastTheirLimitAre400s(String field, String value) {
        String body = "{\"model\":\"mock\",\"messages\":" + HI + ",\"max_tokens\":16,\"" + field + "\":" + value + "}";
        body = body.replace("\"max_tokens\":16,\"max_tokens\"", "\"max_tokens\"");
        assertBadParam(gw.post("/v1/messages", body), field);
    }

    @Test
    void messagesAtTheirLimitsAreServed() {
        assertOk(gw.post("/v1/messages", "{\"model\":\"mock\",\"max_tokens\":2147483647,\"messages\":" + HI + "}"));
        assertOk(gw.post("/v1/messages", messages(",\"top_k\":2147483647,\"stop_sequences\":" + repeat("\"s#\"", 16))));
        String tool = "{\"name\":\"f#\",\"input_schema\":{\"type\":\"object\"}}";
        assertOk(gw.post("/v1/messages", messages(",\"tools\":" + repeat(tool, ChatRequestValidator.MAX_TOOLS))));
        assertBadParam(gw.post("/v1/messages", messages(",\"tools\":" + repeat(tool, ChatRequestValidator.MAX_TOOLS + 1))), "tools");
        String many = repeat("{\"role\":\"user\",\"content\":\"m#\"}", 100_001);
        assertBadParam(gw.post("/v1/messages", "{\"model\":\"mock\",\"max_tokens\":16,\"messages\":" + many + "}"), "messages");
        assertBadParam(gw.post("/v1/messages", messages(",\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2147483648}")),
                "thinking.budget_tokens");
    }
}
