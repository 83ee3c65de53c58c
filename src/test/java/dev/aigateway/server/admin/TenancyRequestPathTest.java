package dev.aigateway.server.admin;

import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the tenancy routes write, as a client of the LLM routes meets it (the official OpenAI SDK): a blocked team
 * refuses its keys' requests, a team's model list bounds its keys, and a team's rate limit counts its keys together.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenancyRequestPathTest {
    private TestGateway gw;

    @BeforeAll
    void start() {
        gw = TestGateway.start(KeyApi.CONFIG);
    }

    @AfterAll
    void stop() {
        if (gw != null) gw.close();
    }

    private String key(String body) {
        HttpResponse<String> r = gw.post("/key/generate", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestGateway.json(r).path("key").asText();
    }

    private static ChatCompletionCreateParams chat(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("hi").build();
    }

    @Test
    void aBlockedTeamRefusesItsKeysAndAnUnblockedOneServesThem() {
        assertThat(gw.post("/team/new", "{\"team_id\": \"rp-blocked\"}").statusCode()).isEqualTo(200);
        String k = key("{\"team_id\": \"rp-blocked\"}");
        assertThat(gw.openAi(k).chat().completions().create(chat("mock")).choices()).hasSize(1);
        assertThat(gw.post("/team/block", "{\"team_id\": \"rp-blocked\"}").statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> gw.openAi(k).chat().completions().create(chat("mock")))
                .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("Team=rp-blocked is blocked");
        assertThat(gw.post("/team/unblock", "{\"team_id\": \"rp-blocked\"}").statusCode()).isEqualTo(200);
        assertThat(gw.openAi(k).chat().completions().create(chat("mock")).choices()).hasSize(1);
    }

    @Test
    void aTeamsModelsBoundItsKeys() {
        assertThat(gw.post("/team/new", "{\"team_id\": \"rp-models\", \"models\": [\"mock\"]}").statusCode()).isEqualTo(200);
        String k = key("{\"team_id\": \"rp-models\"}");
        assertThat(gw.openAi(k).chat().completions().create(chat("mock")).choices()).hasSize(1);
        assertThatThrownBy(() -> gw.openAi(k).chat().completions().create(chat("other")))
                .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("other");
    }

    @Test
    void aTeamsRateLimitCountsAllItsKeys() {
        assertThat(gw.post("/team/new", "{\"team_id\": \"rp-rpm\", \"rpm_limit\": 2}").statusCode()).isEqualTo(200);
        String a = key("{\"team_id\": \"rp-rpm\"}");
        String b = key("{\"team_id\": \"rp-rpm\"}");
        gw.openAi(a).chat().completions().create(chat("mock"));
        gw.openAi(b).chat().completions().create(chat("mock"));
        assertThatThrownBy(() -> gw.openAi(a).chat().completions().create(chat("mock"))).isInstanceOf(RateLimitException.class);
    }
}
