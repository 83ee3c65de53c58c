package dev.aigateway.governance.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.db.Database;
import dev.aigateway.governance.Principal;
import dev.aigateway.testing.MutableClock;
import dev.aigateway.testing.SpendTestDatabases;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The stored responses on a real database: what is saved is read back whole, only by the key that created it (the
 * master key reads all), a continuation's conversation is the chain's items oldest first within its bounds, retention
 * deletes by age, and input items page as OpenAI's list. Run on SQLite and PostgreSQL by the subclasses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ResponseStoreContract {
    static final Principal KEY_A = principal("a".repeat(64));
    static final Principal KEY_B = principal("b".repeat(64));
    static final Principal MASTER = new Principal("m".repeat(64), "master", true, null);
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    Database db;
    ResponseStore store;

    /** The DATABASE_URL of an empty database for this class. */
    abstract String databaseUrl();

    @BeforeAll
    void open() {
        db = Database.open(databaseUrl());
        store = new ResponseStore(db);
    }

    @AfterAll
    void close() {
        if (db != null) db.close();
    }

    @BeforeEach
    void empty() throws Exception {
        try (Connection c = db.connection(); Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM responses");
        }
    }

    static Principal principal(String hash) {
        return new Principal(hash, "key-" + hash.charAt(0), false, SpendTestDatabases.key(hash, "key-" + hash.charAt(0), null));
    }

    /** A stored turn: input {@code said} as a user message, output {@code answered} as an assistant message. */
    static StoredResponse turn(String id, Principal owner, String previous, String said, String answered, Instant at) {
        ObjectNode response = Json.object();
        response.put("id", id).put("object", "response").put("status", "completed").put("model", "chat-model");
        ArrayNode output = response.putArray("output");
        ObjectNode msg = output.addObject();
        msg.put("id", "msg_out_" + id).put("type", "message").put("role", "assistant");
        msg.putArray("content").addObject().put("type", "output_text").put("text", answered);
        response.putObject("usage").put("input_tokens", 3).put("output_tokens", 4).put("total_tokens", 7);
        return new StoredResponse(id, owner.keyHash(), previous, "dep-1", false, "chat-model", at, "completed",
                Json.parse("\"be brief\""), ResponseItems.of(com.fasterxml.jackson.databind.node.TextNode.valueOf(said)),
                ResponseItems.output(response), response, response.get("usage"));
    }

    static List<String> texts(ArrayNode items) {
        List<String> out = new ArrayList<>();
        items.forEach(i -> out.add(i.path("role").asText() + ":" + i.path("content").path(0).path("text").asText()));
        return out;
    }

    @Test
    void aSavedResponseIsReadBackWhole() {
        StoredResponse saved = turn("resp_1", KEY_A, null, "hello", "hi there", T0);
        store.save(saved);
        StoredResponse read = store.get("resp_1", KEY_A);
        assertThat(read.response()).isEqualTo(saved.response());
        assertThat(read.inputItems()).isEqualTo(saved.inputItems());
        assertThat(read.outputItems()).isEqualTo(saved.outputItems());
        assertThat(read.instructions().asText()).isEqualTo("be brief");
        assertThat(read.usage().path("total_tokens").asInt()).isEqualTo(7);
        assertThat(read.createdAt()).isEqualTo(T0);
        assertThat(read.keyHash()).isEqualTo(KEY_A.keyHash());
        assertThat(read.deploymentId()).isEqualTo("dep-1");
        assertThat(read.providerState()).isFalse();
        assertThat(read.status()).isEqualTo("completed");
    }

    @Test
    void savingAgainReplacesTheAnswer() {
        StoredResponse first = turn("resp_up", KEY_A, null, "hello", "", T0);
        store.save(new StoredResponse(first.id(), first.keyHash(), null, first.deploymentId(), false, first.model(), T0,
                "in_progress", null, first.inputItems(), Json.array(), Json.object().put("id", "resp_up").put("status", "in_progress"), null));
        store.save(turn("resp_up", KEY_A, null, "hello", "done", T0));
        StoredResponse read = store.get("resp_up", KEY_A);
        assertThat(read.status()).isEqualTo("completed");
        assertThat(texts(read.outputItems())).containsExactly("assistant:done");
    }

    @Test
    void aResponseIsBoundToTheKeyThatCreatedIt() {
        store.save(turn("resp_a", KEY_A, null, "secret plans", "ok", T0));
        assertThatThrownBy(() -> store.get("resp_a", KEY_B)).isInstanceOfSatisfying(GatewayException.class,
                e -> assertThat(e.status()).isEqualTo(403));
        assertThatThrownBy(() -> store.delete("resp_a", KEY_B)).isInstanceOfSatisfying(GatewayException.class,
                e -> assertThat(e.status()).isEqualTo(403));
        assertThatThrownBy(() -> store.inputItems("resp_a", KEY_B, ResponseStore.Page.FIRST)).isInstanceOfSatisfying(GatewayException.class,
                e -> assertThat(e.status()).isEqualTo(403));
        assertThatThrownBy(() -> store.conversation("resp_a", KEY_B)).isInstanceOfSatisfying(GatewayException.class,
                e -> assertThat(e.status()).isEqualTo(403));
        assertThat(store.get("resp_a", MASTER).id()).isEqualTo("resp_a");
        assertThat(store.get("resp_a", Principal.ANONYMOUS_ADMIN).id()).as("a gateway without authentication").isEqualTo("resp_a");
        assertThat(store.find("resp_a")).as("the refused delete left it").isPresent();
    }

    @Test
    void unknownAndMalformedIdsAre404() {
        for (String id : new String[]{"resp_none", "../etc/passwd", "x".repeat(129), "resp a"}) {
            assertThatThrownBy(() -> store.get(id, KEY_A)).isInstanceOfSatisfying(GatewayException.class, e -> {
                assertThat(e.status()).isEqualTo(404);
                assertThat(e.getMessage()).doesNotContain("passwd").hasSizeLessThan(200);
            });
        }
        assertThatThrownBy(() -> store.get("resp_none", KEY_A)).hasMessage("Response with id 'resp_none' not found.");
        assertThatThrownBy(() -> store.conversation("resp_none", KEY_A)).isInstanceOfSatisfying(GatewayException.class,
                e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void deleteRemovesOnlyThatResponse() {
        store.save(turn("resp_d1", KEY_A, null, "one", "1", T0));
        store.save(turn("resp_d2", KEY_A, null, "two", "2", T0));
        store.delete("resp_d1", KEY_A);
        assertThat(store.find("resp_d1")).isEmpty();
        assertThat(store.find("resp_d2")).isPresent();
        assertThatThrownBy(() -> store.delete("resp_d1", KEY_A)).isInstanceOfSatisfying(GatewayException.class,
                e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void aConversationIsTheChainOldestFirst() {
        store.save(turn("resp_c1", KEY_A, null, "my name is Ada", "hello Ada", T0));
        store.save(turn("resp_c2", KEY_A, "resp_c1", "I like tea", "noted", T0.plusSeconds(1)));
        store.save(turn("resp_c3", KEY_A, "resp_c2", "what do I like?", "tea", T0.plusSeconds(2)));
        store.save(turn("resp_other", KEY_A, null, "unrelated", "sure", T0));
        ResponseStore.Conversation c = store.conversation("resp_c3", KEY_A);
        assertThat(texts(c.items())).containsExactly("user:my name is Ada", "assistant:hello Ada", "user:I like tea",
                "assistant:noted", "user:what do I like?", "assistant:tea");
        assertThat(c.pinnedDeploymentId()).as("a bridged response is not pinned").isNull();
        assertThat(texts(store.conversation("resp_c1", KEY_A).items())).containsExactly("user:my name is Ada", "assistant:hello Ada");
    }

    @Test
    void aResponseWhoseProviderKeepsStateIsPinnedToItsDeployment() {
        StoredResponse t = turn("resp_native", KEY_A, null, "hi", "hello", T0);
        store.save(new StoredResponse(t.id(), t.keyHash(), null, "dep-openai", true, t.model(), t.createdAt(), t.status(),
                null, t.inputItems(), t.outputItems(), t.response(), t.usage()));
        store.save(turn("resp_after", KEY_A, "resp_native", "and then?", "more", T0.plusSeconds(1)));
        assertThat(store.conversation("resp_native", KEY_A).pinnedDeploymentId()).isEqualTo("dep-openai");
        assertThat(store.conversation("resp_after", KEY_A).pinnedDeploymentId())
                .as("only the latest response's own deployment pins").isNull();
    }

    @Test
    void aDeletedLinkEndsTheChainThere() {
        store.save(turn("resp_l1", KEY_A, null, "first", "1", T0));
        store.save(turn("resp_l2", KEY_A, "resp_l1", "second", "2", T0));
        store.save(turn("resp_l3", KEY_A, "resp_l2", "third", "3", T0));
        store.delete("resp_l2", KEY_A);
        assertThat(texts(store.conversation("resp_l3", KEY_A).items())).containsExactly("user:third", "assistant:3");
    }

    @Test
    void aConversationLongerThanTheBoundIsRefused() {
        String big = "x".repeat(ResponseStore.MAX_CONVERSATION_CHARS / 3);
        store.save(turn("resp_b1", KEY_A, null, big, "1", T0));
        store.save(turn("resp_b2", KEY_A, "resp_b1", big, "2", T0));
        assertThat(store.conversation("resp_b2", KEY_A).items()).hasSize(4);
        store.save(turn("resp_b3", KEY_A, "resp_b2", big, "3", T0));
        store.save(turn("resp_b4", KEY_A, "resp_b3", "small", "4", T0));
        assertThatThrownBy(() -> store.conversation("resp_b4", KEY_A)).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.status()).isEqualTo(413);
            assertThat(e.getMessage()).contains("previous_response_id");
        });
    }

    @Test
    void aChainDeeperThanTheBoundIsRefused() throws Exception {
        // rows written in one transaction: a thousand separate commits would only slow the test down
        String prev = null;
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try (var ps = c.prepareStatement("INSERT INTO responses (id, key_hash, previous_response_id, created_at, status, "
                    + "input_items, output_items, response) VALUES (?,?,?,?,'completed','[]','[]','{}')")) {
                for (int i = 0; i <= ResponseStore.MAX_CHAIN; i++) {
                    ps.setString(1, "resp_deep" + i);
                    ps.setString(2, KEY_A.keyHash());
                    ps.setString(3, prev);
                    ps.setLong(4, T0.toEpochMilli());
                    ps.addBatch();
                    prev = "resp_deep" + i;
                }
                ps.executeBatch();
            }
            c.commit();
            c.setAutoCommit(true);
        }
        assertThat(store.conversation("resp_deep" + (ResponseStore.MAX_CHAIN - 1), KEY_A).items())
                .as("exactly the bound: the first response starts the chain").isEmpty();
        assertThatThrownBy(() -> store.conversation("resp_deep" + ResponseStore.MAX_CHAIN, KEY_A))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.param()).isEqualTo("previous_response_id");
                });
    }

    @Test
    void aResponseLargerThanTheBoundIsNotStored() {
        StoredResponse huge = turn("resp_huge", KEY_A, null, "y".repeat(ResponseStore.MAX_STORED_CHARS), "ok", T0);
        assertThatThrownBy(() -> store.save(huge)).isInstanceOfSatisfying(GatewayException.class,
                e -> assertThat(e.status()).isEqualTo(413));
        assertThat(store.find("resp_huge")).isEmpty();
    }

    @Test
    void inputItemsPageAsOpenAisList() {
        ArrayNode input = Json.array();
        for (int i = 1; i <= 5; i++) input.addObject().put("id", "msg_" + i).put("role", "user").put("content", "m" + i);
        StoredResponse t = turn("resp_items", KEY_A, null, "x", "y", T0);
        store.save(new StoredResponse(t.id(), t.keyHash(), null, t.deploymentId(), false, t.model(), T0, t.status(), null,
                ResponseItems.of(input), t.outputItems(), t.response(), null));

        ObjectNode first = store.inputItems("resp_items", KEY_A, new ResponseStore.Page(null, null, 2, false));
        assertThat(first.path("object").asText()).isEqualTo("list");
        assertThat(ids(first)).as("newest first by default").containsExactly("msg_5", "msg_4");
        assertThat(first.path("first_id").asText()).isEqualTo("msg_5");
        assertThat(first.path("last_id").asText()).isEqualTo("msg_4");
        assertThat(first.path("has_more").asBoolean()).isTrue();
        ObjectNode next = store.inputItems("resp_items", KEY_A, new ResponseStore.Page("msg_4", null, 2, false));
        assertThat(ids(next)).containsExactly("msg_3", "msg_2");
        ObjectNode last = store.inputItems("resp_items", KEY_A, new ResponseStore.Page("msg_2", null, 2, false));
        assertThat(ids(last)).containsExactly("msg_1");
        assertThat(last.path("has_more").asBoolean()).isFalse();
        assertThat(ids(store.inputItems("resp_items", KEY_A, new ResponseStore.Page(null, "msg_3", 20, true))))
                .containsExactly("msg_1", "msg_2");
        assertThat(store.inputItems("resp_items", KEY_A, new ResponseStore.Page(null, null, 20, true)).path("data").get(0)
                .path("content").get(0).path("type").asText()).isEqualTo("input_text");
        assertThatThrownBy(() -> store.inputItems("resp_items", KEY_A, new ResponseStore.Page("msg_nope", null, 2, false)))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.param()).isEqualTo("after"));
    }

    static List<String> ids(ObjectNode page) {
        List<String> out = new ArrayList<>();
        page.path("data").forEach(i -> out.add(i.path("id").asText()));
        return out;
    }

    @Test
    void retentionDeletesOnlyResponsesOlderThanThePeriod() {
        store.save(turn("resp_old", KEY_A, null, "old", "1", T0));
        store.save(turn("resp_new", KEY_A, null, "new", "2", T0.plus(Duration.ofDays(10))));
        MutableClock clock = new MutableClock(T0.plus(Duration.ofDays(29)));
        ResponseRetention retention = new ResponseRetention(store, Duration.ofDays(30), clock);
        assertThat(retention.runOnce()).isZero();
        clock.advance(Duration.ofDays(2));
        assertThat(retention.runOnce()).isEqualTo(1);
        assertThat(store.find("resp_old")).isEmpty();
        assertThat(store.find("resp_new")).isPresent();
        clock.advance(Duration.ofDays(10));
        assertThat(retention.runOnce()).isEqualTo(1);
        assertThat(store.find("resp_new")).isEmpty();
    }

    @Test
    void retentionDeletesABacklogInChunks() throws Exception {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try (var ps = c.prepareStatement("INSERT INTO responses (id, created_at, status, input_items, output_items, response) "
                    + "VALUES (?,?,'completed','[]','[]','{}')")) {
                for (int i = 0; i < ResponseRetention.CHUNK * 2 + 5; i++) {
                    ps.setString(1, "resp_backlog" + i);
                    ps.setLong(2, T0.toEpochMilli() + i);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
            c.setAutoCommit(true);
        }
        ResponseRetention retention = new ResponseRetention(store, Duration.ofDays(1), new MutableClock(T0.plus(Duration.ofDays(2))));
        assertThat(retention.runOnce()).isEqualTo(ResponseRetention.CHUNK * 2 + 5);
    }

    @Test
    void theStateExpandsInputAfterTheConversationAndRemembersTheTurn() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            ResponseState state = new ResponseState(store, vertx, new MutableClock(T0));
            store.save(turn("resp_s1", KEY_A, null, "my name is Ada", "hello Ada", T0));

            ResponseState.Expanded fresh = state.expandInput(null, KEY_A, Json.parse("\"hi\"")).await(5, TimeUnit.SECONDS);
            assertThat(texts(fresh.conversation())).containsExactly("user:hi");

            JsonNode input = Json.parse("[{\"role\": \"user\", \"content\": \"what is my name?\"}]");
            ResponseState.Expanded e = state.expandInput("resp_s1", KEY_A, input).await(5, TimeUnit.SECONDS);
            assertThat(texts(e.conversation())).containsExactly("user:my name is Ada", "assistant:hello Ada", "user:what is my name?");
            assertThat(texts(e.input())).containsExactly("user:what is my name?");
            assertThat(e.input().get(0).path("id").asText()).startsWith("msg_");
            assertThat(input.get(0).has("id")).as("the client's tree is not changed").isFalse();

            ObjectNode response = turn("resp_s2", KEY_A, null, "-", "Ada", T0).response();
            state.remember(KEY_A, "resp_s1", "dep-7", false, e, null, response).await(5, TimeUnit.SECONDS);
            StoredResponse saved = store.get("resp_s2", KEY_A);
            assertThat(saved.previousResponseId()).isEqualTo("resp_s1");
            assertThat(saved.deploymentId()).isEqualTo("dep-7");
            assertThat(saved.inputItems()).isEqualTo(e.input());
            assertThat(saved.createdAt()).isEqualTo(T0);
            assertThat(texts(state.expandInput("resp_s2", KEY_A, Json.parse("\"and?\"")).await(5, TimeUnit.SECONDS).conversation()))
                    .containsExactly("user:my name is Ada", "assistant:hello Ada", "user:what is my name?", "assistant:Ada", "user:and?");

            ObjectNode client = (ObjectNode) Json.parse("{\"model\": \"m\", \"previous_response_id\": \"resp_s1\", \"input\": \"x\", \"store\": true}");
            ObjectNode sent = ResponseState.withConversation(client, e);
            assertThat(sent.has("previous_response_id")).isFalse();
            assertThat(texts((ArrayNode) sent.get("input"))).isEqualTo(texts(e.conversation()));
            assertThat(sent.path("store").asBoolean()).isTrue();
            assertThat(client.path("input").asText()).as("the client's body is not changed").isEqualTo("x");

            assertThatThrownBy(() -> state.expandInput("resp_s1", KEY_B, input).await(5, TimeUnit.SECONDS))
                    .isInstanceOfSatisfying(GatewayException.class, ex -> assertThat(ex.status()).isEqualTo(403));
        } finally {
            vertx.close().await(5, TimeUnit.SECONDS);
        }
    }
}
