package dev.aigateway.server.responses;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.fakes.Scenario;
import dev.aigateway.provider.anthropic.FakeAnthropic;
import dev.aigateway.testing.SpendTestDatabases;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two gateway instances on one PostgreSQL database (a throwaway one; skipped loudly without PostgreSQL): a response
 * one instance answered from a translated provider is continued through the other at once, streamed and not.
 */
class StoredConversationPostgresTest {

    @Test
    void aConversationContinuesOnAnotherInstanceAtOnce() {
        String database = SpendTestDatabases.createOrSkip("gw_responses_conversation");
        Map<String, String> env = Map.of("DATABASE_URL", SpendTestDatabases.gatewayUrl(database));
        try (FakeAnthropic anthropic = new FakeAnthropic()) {
            String config = """
                    model_list:
                      - model_name: claude
                        litellm_params: {model: anthropic/claude-sonnet-4-5, api_base: "%s", api_key: "%s"}
                    """.formatted(anthropic.host(), FakeAnthropic.KEY);
            try (TestGateway a = TestGateway.start(config, env); TestGateway b = TestGateway.start(config, env)) {
                for (boolean stream : new boolean[]{false, true}) {
                    anthropic.scenario(new Scenario.Text("Nice to meet you, Ada."));
                    HttpResponse<String> first = a.post("/v1/responses", "{\"model\":\"claude\",\"stream\":" + stream
                            + ",\"input\":\"My name is Ada.\"}");
                    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
                    String id = stream ? StoredConversationTest.completed(first.body()).path("id").asText()
                            : TestGateway.json(first).path("id").asText();

                    anthropic.scenario(new Scenario.Text("Your name is Ada."));
                    HttpResponse<String> second = b.post("/v1/responses", "{\"model\":\"claude\",\"stream\":" + stream
                            + ",\"previous_response_id\":\"" + id + "\",\"input\":\"What is my name?\"}");
                    assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
                    JsonNode messages = anthropic.last().json().path("messages");
                    assertThat(messages).as("the conversation instance A stored, continued through B").hasSize(3);
                    assertThat(messages.get(1).path("role").asText()).isEqualTo("assistant");
                }
            }
        } finally {
            SpendTestDatabases.drop(database);
        }
    }
}
