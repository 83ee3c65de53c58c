package dev.aigateway.server.responses;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.Json;
import dev.aigateway.fakes.FakeUpstream.Recorded;
import dev.aigateway.fakes.Scenario;
import dev.aigateway.provider.anthropic.FakeAnthropic;
import dev.aigateway.provider.openai.FakeOpenAi;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code store} and {@code previous_response_id} on a translated deployment (Anthropic): the gateway stores the
 * Response it wrote before answering, and a request continuing it reaches the upstream as the whole conversation;
 * streamed and not; bound to the key that made it; {@code store: false} keeps nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StoredConversationTest {
    static final String OPENAI_KEY = "sk-openai-stored-0123456789";
    FakeAnthropic anthropic;
    FakeOpenAi openAi;
    /** A second OpenAI account serving the group {@code pair} beside {@link #openAi}. */
    FakeOpenAi otherAccount;
    TestGateway gw;

    @BeforeAll
    void start() {
        anthropic = new FakeAnthropic();
        openAi = new FakeOpenAi(OPENAI_KEY);
        otherAccount = new FakeOpenAi(OPENAI_KEY);
        gw = TestGateway.start("""
                model_list:
                  - model_name: claude
                    litellm_params: {model: anthropic/claude-sonnet-4-5, api_base: "%s", api_key: "%s"}
                  - model_name: gpt
                    litellm_params: {model: openai/gpt-5, api_base: "%s", api_key: "%s"}
                  - model_name: pair
                    litellm_params: {model: openai/gpt-5, api_base: "%s", api_key: "%s"}
                    model_info: {id: account-a}
                  - model_name: pair
                    litellm_params: {model: openai/gpt-5, api_base: "%s", api_key: "%s"}
                    model_info: {id: account-b}
                """.formatted(anthropic.host(), FakeAnthropic.KEY, openAi.openAiBase(), OPENAI_KEY,
                openAi.openAiBase(), OPENAI_KEY, otherAccount.openAiBase(), OPENAI_KEY));
    }

    @AfterAll
    void stop() {
        gw.close();
        anthropic.close();
        openAi.close();
        otherAccount.close();
    }

    @BeforeEach
    void reset() {
        anthropic.reset();
        anthropic.scenario(new Scenario.Text("Nice to meet you, Ada."));
    }

    HttpResponse<String> post(String body, String key) {
        return gw.post("/v1/responses", body, key);
    }

    /** The ids of a stream's final Response, read from its response.completed event. */
    static JsonNode completed(String sse) {
        for (String line : sse.split("\n")) {
            if (line.startsWith("data: ") && line.contains("\"response.completed\"")) return Json.parse(line.substring(6)).path("response");
        }
        throw new AssertionError("no response.completed in " + sse);
    }

    /** The roles and texts of the messages the upstream received last. */
    List<String> lastConversation() {
        Recorded r = anthropic.last();
        List<String> out = new ArrayList<>();
        for (JsonNode m : r.json().path("messages")) {
            JsonNode c = m.path("content");
            String text = c.isTextual() ? c.asText() : c.path(0).path("text").asText();
            out.add(m.path("role").asText() + ": " + text);
        }
        return out;
    }

    @Test
    void aStoredResponseIsContinuedAsTheWholeConversation() {
        HttpResponse<String> first = post("{\"model\":\"claude\",\"instructions\":\"Be brief.\",\"input\":\"My name is Ada.\"}", TestGateway.MASTER_KEY);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        String id = TestGateway.json(first).path("id").asText();

        // readable at once: the answer went out after the row was written
        HttpResponse<String> read = gw.get("/v1/responses/" + id, TestGateway.MASTER_KEY);
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        assertThat(TestGateway.json(read).path("output").toString()).contains("Nice to meet you, Ada.");

        anthropic.scenario(new Scenario.Text("Your name is Ada."));
        HttpResponse<String> second = post("{\"model\":\"claude\",\"previous_response_id\":\"" + id + "\",\"input\":\"What is my name?\"}",
                TestGateway.MASTER_KEY);
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        assertThat(lastConversation()).containsExactly("user: My name is Ada.", "assistant: Nice to meet you, Ada.", "user: What is my name?");
        assertThat(anthropic.last().json().path("system").toString()).as("the earlier turn's instructions are not this turn's")
                .doesNotContain("Be brief.");
    }

    @Test
    void aStreamsFinalEventComesOnceTheResponseIsStored() {
        HttpResponse<String> first = post("{\"model\":\"claude\",\"stream\":true,\"input\":\"My name is Ada.\"}", TestGateway.MASTER_KEY);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        String id = completed(first.body()).path("id").asText();
        assertThat(gw.get("/v1/responses/" + id, TestGateway.MASTER_KEY).statusCode()).isEqualTo(200);

        HttpResponse<String> second = post("{\"model\":\"claude\",\"stream\":true,\"previous_response_id\":\"" + id
                + "\",\"input\":\"What is my name?\"}", TestGateway.MASTER_KEY);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(lastConversation()).hasSize(3).first().isEqualTo("user: My name is Ada.");
    }

    @Test
    void aNativeResponseIsBoundToItsKeyAndContinuedByItsIdUpstream() {
        openAi.replayResponses("application/json", ResponsesRouteTest.RESPONSE_JSON);
        String owner = TestGateway.json(gw.post("/key/generate", "{\"key_alias\":\"owner\"}")).path("key").asText();
        String other = TestGateway.json(gw.post("/key/generate", "{\"key_alias\":\"someone-else\"}")).path("key").asText();
        HttpResponse<String> first = post("{\"model\":\"gpt\",\"input\":\"My name is Ada.\"}", owner);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        String id = TestGateway.json(first).path("id").asText();
        assertThat(id).isEqualTo("resp_native_1");
        assertThat(gw.get("/v1/responses/" + id, owner).statusCode()).isEqualTo(200);

        int calls = openAi.calls().size();
        HttpResponse<String> stolen = post("{\"model\":\"gpt\",\"previous_response_id\":\"" + id + "\",\"input\":\"Name?\"}", other);
        assertThat(stolen.statusCode()).as("another key may not continue it, native or not").isEqualTo(403);
        assertThat(openAi.calls()).hasSize(calls);

        HttpResponse<String> second = post("{\"model\":\"gpt\",\"previous_response_id\":\"" + id + "\",\"input\":\"Name?\"}", owner);
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        JsonNode sent = openAi.lastCall().json();
        assertThat(sent.path("previous_response_id").asText()).as("OpenAI holds the conversation: continued by its id").isEqualTo(id);
        assertThat(sent.path("input").asText()).isEqualTo("Name?");

        // a native stream's Response is read from its held response.completed event and bound the same way
        openAi.replayResponses("text/event-stream", ResponsesRouteTest.RESPONSE_EVENTS);
        HttpResponse<String> streamed = post("{\"model\":\"gpt\",\"stream\":true,\"input\":\"Hi\"}", owner);
        assertThat(streamed.body()).isEqualTo(ResponsesRouteTest.RESPONSE_EVENTS);
        assertThat(gw.get("/v1/responses/resp_native_2", owner).statusCode()).isEqualTo(200);
        assertThat(gw.get("/v1/responses/resp_native_2", other).statusCode()).isEqualTo(403);
    }

    @Test
    void aContinuationGoesBackToTheAccountHoldingTheNativeResponse() {
        String answer = ResponsesRouteTest.RESPONSE_JSON.replace("resp_native_1", "resp_pair_1"); // an id of its own
        openAi.replayResponses("application/json", answer);
        otherAccount.replayResponses("application/json", answer);
        HttpResponse<String> first = post("{\"model\":\"pair\",\"input\":\"Hi\"}", TestGateway.MASTER_KEY);
        String holder = first.headers().firstValue("x-gateway-model-id").orElseThrow();
        String id = TestGateway.json(first).path("id").asText();
        for (int i = 0; i < 12; i++) {
            HttpResponse<String> next = post("{\"model\":\"pair\",\"previous_response_id\":\"" + id + "\",\"input\":\"And?\"}",
                    TestGateway.MASTER_KEY);
            assertThat(next.headers().firstValue("x-gateway-model-id")).as("continuation %d", i).contains(holder);
        }
    }

    @Test
    void anotherKeyCannotContinueItAndStoreFalseKeepsNothing() {
        String id = TestGateway.json(post("{\"model\":\"claude\",\"input\":\"My name is Ada.\"}", TestGateway.MASTER_KEY)).path("id").asText();
        String other = TestGateway.json(gw.post("/key/generate", "{\"key_alias\":\"other\"}")).path("key").asText();
        int before = anthropic.requests().size();
        HttpResponse<String> stolen = post("{\"model\":\"claude\",\"previous_response_id\":\"" + id + "\",\"input\":\"Name?\"}", other);
        assertThat(stolen.statusCode()).as(stolen.body()).isEqualTo(403);
        assertThat(anthropic.requests()).as("refused before any upstream call").hasSize(before);

        String unstored = TestGateway.json(post("{\"model\":\"claude\",\"store\":false,\"input\":\"hi\"}", TestGateway.MASTER_KEY)).path("id").asText();
        assertThat(gw.get("/v1/responses/" + unstored, TestGateway.MASTER_KEY).statusCode()).isEqualTo(404);
        HttpResponse<String> unknown = post("{\"model\":\"claude\",\"previous_response_id\":\"" + unstored + "\",\"input\":\"hi\"}",
                TestGateway.MASTER_KEY);
        assertThat(unknown.statusCode()).isEqualTo(404);
    }
}
