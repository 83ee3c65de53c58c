package dev.aigateway.server.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.errors.NotFoundException;
import com.openai.errors.PermissionDeniedException;
import com.openai.models.responses.Response;
import com.openai.models.responses.inputitems.InputItemListParams;
import dev.aigateway.core.Json;
import dev.aigateway.governance.Authenticator;
import dev.aigateway.governance.Governance;
import dev.aigateway.governance.Principal;
import dev.aigateway.governance.responses.ResponseState;
import dev.aigateway.testing.SpendTestDatabases;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code GET /v1/responses/{id}}, {@code DELETE /v1/responses/{id}} and {@code GET /v1/responses/{id}/input_items} through
 * a real gateway, over responses remembered through its {@link ResponseState} (as {@code POST /v1/responses} does), with
 * raw HTTP and with OpenAI's Java SDK. Run on SQLite and PostgreSQL by the subclasses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StoredResponsesRoutesContract {
    static final String KEY_A = "sk-responses-key-a-0123456789abcdefghijklmnop";
    static final String KEY_B = "sk-responses-key-b-0123456789abcdefghijklmnop";
    static final String CONFIG = """
            model_list:
              - model_name: chat-model
                litellm_params: {model: mock/chat-1}
                model_info: {id: dep-chat}
            """;

    TestGateway gw;
    Principal ownerA;

    abstract Map<String, String> databaseEnv();

    @BeforeAll
    void start() {
        gw = TestGateway.start(CONFIG, databaseEnv());
        Governance g = gw.server().governance();
        for (String key : new String[]{KEY_A, KEY_B}) {
            String hash = Authenticator.hash(key);
            g.keyStore().insert(SpendTestDatabases.key(hash, "alias-" + key.charAt(17), null));
            g.keys().reload(hash);
        }
        ownerA = g.authenticator().authenticate(KEY_A);
    }

    @AfterAll
    void stop() {
        if (gw != null) gw.close();
    }

    /** A Response object as OpenAI answers one (every field its SDK requires). */
    static ObjectNode response(String id, String text) {
        ObjectNode r = Json.object();
        r.put("id", id).put("object", "response").put("created_at", 1_772_000_000L).put("status", "completed")
                .put("model", "chat-model").putNull("error").putNull("incomplete_details").putNull("instructions")
                .put("parallel_tool_calls", true).put("tool_choice", "auto").put("temperature", 1.0).put("top_p", 1.0);
        r.putObject("metadata");
        r.putArray("tools");
        ObjectNode msg = r.putArray("output").addObject();
        msg.put("id", "msg_out_" + id).put("type", "message").put("role", "assistant").put("status", "completed");
        msg.putArray("content").addObject().put("type", "output_text").put("text", text).putArray("annotations");
        r.putObject("usage").put("input_tokens", 5).put("output_tokens", 2).put("total_tokens", 7)
                .<ObjectNode>set("input_tokens_details", Json.object().put("cached_tokens", 0))
                .set("output_tokens_details", Json.object().put("reasoning_tokens", 0));
        return r;
    }

    /** Remembers a response of key A with {@code input}, as the POST route does; returns the Response object. */
    ObjectNode remember(String id, String input, String previous) throws Exception {
        ResponseState state = gw.server().responseState();
        ResponseState.Expanded e = state.expandInput(previous, ownerA, Json.parse(input)).await(5, TimeUnit.SECONDS);
        ObjectNode r = response(id, "answer to " + id);
        state.remember(ownerA, previous, "dep-chat", false, e, Json.parse("\"be brief\""), r).await(5, TimeUnit.SECONDS);
        return r;
    }

    HttpResponse<String> delete(String path, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.baseUrl() + path)).timeout(Duration.ofSeconds(20)).DELETE();
        if (key != null) b.header("authorization", "Bearer " + key);
        return TestGateway.send(b.build());
    }

    @Test
    void theCreatingKeyReadsTheResponseAsItWasAnswered() throws Exception {
        ObjectNode r = remember("resp_get1", "\"hello\"", null);
        HttpResponse<String> got = gw.get("/v1/responses/resp_get1", KEY_A);
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(TestGateway.json(got)).isEqualTo(Json.parse(r.toString()));
        assertThat(gw.get("/responses/resp_get1/", KEY_A).statusCode()).as("without /v1, with a trailing slash").isEqualTo(200);
        assertThat(gw.get("/v1/responses/resp_get1", TestGateway.MASTER_KEY).statusCode()).as("the master key reads all").isEqualTo(200);
    }

    @Test
    void anotherKeyIsRefusedAndAnUnknownIdIsNotFound() throws Exception {
        remember("resp_mine", "\"private\"", null);
        for (HttpResponse<String> r : new HttpResponse[]{gw.get("/v1/responses/resp_mine", KEY_B),
                gw.get("/v1/responses/resp_mine/input_items", KEY_B), delete("/v1/responses/resp_mine", KEY_B)}) {
            assertThat(r.statusCode()).isEqualTo(403);
            JsonNode error = TestGateway.json(r).path("error");
            assertThat(error.path("type").asText()).isEqualTo("permission_error");
            assertThat(r.body()).doesNotContain("private");
        }
        HttpResponse<String> missing = gw.get("/v1/responses/resp_nothing", KEY_A);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(TestGateway.json(missing).path("error").path("message").asText()).isEqualTo("Response with id 'resp_nothing' not found.");
        assertThat(gw.get("/v1/responses/resp_mine", null).statusCode()).as("no key").isEqualTo(401);
        assertThat(gw.get("/v1/responses/resp_mine", "sk-not-a-key-0123456789abcdefghij").statusCode()).isEqualTo(401);
        assertThat(gw.get("/v1/responses/resp_mine", KEY_A).statusCode()).as("still there").isEqualTo(200);
    }

    @Test
    void deleteAnswersAsOpenAiAndTheResponseIsGone() throws Exception {
        remember("resp_del", "\"bye\"", null);
        HttpResponse<String> deleted = delete("/v1/responses/resp_del", KEY_A);
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(TestGateway.json(deleted)).isEqualTo(Json.parse("{\"id\": \"resp_del\", \"object\": \"response\", \"deleted\": true}"));
        assertThat(gw.get("/v1/responses/resp_del", KEY_A).statusCode()).isEqualTo(404);
        assertThat(delete("/v1/responses/resp_del", KEY_A).statusCode()).isEqualTo(404);
    }

    @Test
    void inputItemsAreTheRequestsOwnInputPaged() throws Exception {
        remember("resp_in1", "\"first turn\"", null);
        remember("resp_in2", "[{\"role\": \"user\", \"content\": \"one\"}, {\"role\": \"user\", \"content\": \"two\"}, "
                + "{\"type\": \"message\", \"role\": \"user\", \"content\": [{\"type\": \"input_text\", \"text\": \"three\"}]}]", "resp_in1");
        JsonNode page = TestGateway.json(gw.get("/v1/responses/resp_in2/input_items?limit=2", KEY_A));
        assertThat(page.path("object").asText()).isEqualTo("list");
        assertThat(page.path("data")).hasSize(2);
        assertThat(page.path("data").get(0).path("content").get(0).path("text").asText()).as("newest first").isEqualTo("three");
        assertThat(page.path("has_more").asBoolean()).isTrue();
        JsonNode rest = TestGateway.json(gw.get("/v1/responses/resp_in2/input_items?limit=2&after=" + page.path("last_id").asText(), KEY_A));
        assertThat(rest.path("data")).hasSize(1);
        assertThat(rest.path("data").get(0).path("content").get(0).path("text").asText()).isEqualTo("one");
        assertThat(rest.path("has_more").asBoolean()).isFalse();
        JsonNode asc = TestGateway.json(gw.get("/v1/responses/resp_in2/input_items?order=asc", KEY_A));
        assertThat(asc.path("data")).as("only its own input, not the earlier turn's").hasSize(3);
        assertThat(asc.path("data").get(0).path("type").asText()).isEqualTo("message");

        for (String bad : new String[]{"limit=0", "limit=101", "limit=x", "order=up", "after=msg_nope"}) {
            HttpResponse<String> r = gw.get("/v1/responses/resp_in2/input_items?" + bad, KEY_A);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(TestGateway.json(r).path("error").path("param").asText()).isEqualTo(bad.substring(0, bad.indexOf('=')));
        }
    }

    @Test
    void otherMethodsAreNotAllowed() {
        assertThat(gw.post("/v1/responses/resp_x", "{}", KEY_A).statusCode()).isEqualTo(405);
    }

    @Test
    void openAisSdkRetrievesListsAndDeletes() throws Exception {
        remember("resp_sdk", "[{\"role\": \"user\", \"content\": \"hi sdk\"}]", null);
        var client = gw.openAi(KEY_A);
        Response r = client.responses().retrieve("resp_sdk");
        assertThat(r.id()).isEqualTo("resp_sdk");
        assertThat(r.output().get(0).asMessage().content().get(0).asOutputText().text()).isEqualTo("answer to resp_sdk");
        var items = client.responses().inputItems().list(InputItemListParams.builder().responseId("resp_sdk").build());
        assertThat(items.data()).hasSize(1);
        assertThat(items.data().get(0).asResponseInputMessageItem().content().get(0).asInputText().text()).isEqualTo("hi sdk");
        assertThatThrownBy(() -> gw.openAi(KEY_B).responses().retrieve("resp_sdk")).isInstanceOf(PermissionDeniedException.class);
        client.responses().delete("resp_sdk");
        assertThatThrownBy(() -> client.responses().retrieve("resp_sdk")).isInstanceOf(NotFoundException.class);
    }

    /** Guards the test's own fixture: a bridged response's items are what a continuation sends. */
    @Test
    void aContinuationCarriesTheEarlierTurns() throws Exception {
        remember("resp_turn1", "\"my name is Ada\"", null);
        ResponseState.Expanded e = gw.server().responseState().expandInput("resp_turn1", ownerA, Json.parse("\"who am I?\""))
                .await(5, TimeUnit.SECONDS);
        ArrayNode c = e.conversation();
        assertThat(c).hasSize(3);
        assertThat(c.get(1).path("content").get(0).path("text").asText()).isEqualTo("answer to resp_turn1");
    }
}
