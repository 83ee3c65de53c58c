package dev.aigateway.fuzz;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The fuzz suites' own checks catch what they claim to: a green fuzz run means something only if these fail loudly. */
class HarnessSelfTest {
    static final String VK = "sk-" + "A".repeat(48);

    static RequestGen.Case chat(String body) {
        return new RequestGen.Case(Route.CHAT, FuzzGateway.Role.DEFAULT, new RawExchange.Request("POST", "/v1/chat/completions",
                List.of(new RawExchange.Header("Authorization", "Bearer " + VK)), body.getBytes(StandardCharsets.UTF_8), RawExchange.Framing.LENGTH), null, null);
    }

    static RawExchange.Response answer(int status, String body) {
        return new RawExchange.Response(status, List.of(new RawExchange.Header("content-type", "application/json"),
                new RawExchange.Header("x-request-id", "req-1")), body.getBytes(StandardCharsets.UTF_8), 1, null);
    }

    static Secrets secrets() {
        Secrets s = new Secrets();
        s.server("master key", "sk-master-123456789");
        s.virtualKey("a key", VK);
        return s;
    }

    @Test
    void flagsA500AndANonUpstream5xxButNotAnUpstreamOne() {
        String err = "{\"error\":{\"message\":\"m\",\"type\":\"t\",\"code\":\"%s\"}}";
        assertThat(Invariants.check(chat("{}"), answer(500, err.formatted("internal_error")), secrets())).contains("500 from the gateway");
        assertThat(Invariants.check(chat("{}"), answer(503, err.formatted("oops")), secrets())).isNotEmpty();
        assertThat(Invariants.check(chat("{}"), answer(502, err.formatted("upstream_error")), secrets())).isEmpty();
    }

    @Test
    void flagsErrorsThatAreNotOpenAiShapedOrShowInternals() {
        assertThat(Invariants.check(chat("{}"), answer(400, ""), secrets())).anyMatch(v -> v.contains("empty body"));
        assertThat(Invariants.check(chat("{}"), answer(400, "<html>"), secrets())).anyMatch(v -> v.contains("not JSON"));
        assertThat(Invariants.check(chat("{}"), answer(400, "{\"error\":{\"type\":\"t\"}}"), secrets())).contains("error without error.message");
        assertThat(Invariants.check(chat("{}"), answer(400, "{\"error\":{\"message\":\"at java.lang.String\",\"type\":\"t\"}}"), secrets()))
                .anyMatch(v -> v.contains("internal detail"));
    }

    @Test
    void flagsSecretsUnlessTheAnswerEchoesWhatTheRequestCarried() {
        assertThat(Invariants.check(chat("{}"), answer(200, "{\"x\":\"sk-master-123456789\"}"), secrets())).anyMatch(v -> v.contains("master key"));
        // a key sent only in the Authorization header must not come back
        assertThat(Invariants.check(chat("{}"), answer(200, "{\"x\":\"" + VK.substring(3) + "\"}"), secrets())).anyMatch(v -> v.contains("virtual key"));
        assertThat(Invariants.check(chat("{\"key\":\"" + VK + "\"}"), answer(200, "{\"x\":\"" + VK + "\"}"), secrets())).isEmpty();
        assertThat(secrets().mask("Bearer sk-master-123456789")).isEqualTo("Bearer <master key>");
    }

    @Test
    void flagsAHangAndASilentClose() {
        RawExchange.Response hang = new RawExchange.Response(-1, List.of(), new byte[0], 30_000, "timeout after 30000 ms");
        RawExchange.Response closed = new RawExchange.Response(-1, List.of(), new byte[0], 1, "closed without an answer");
        assertThat(Invariants.check(chat("{}"), hang, secrets())).anyMatch(v -> v.contains("hang"));
        assertThat(Invariants.check(chat("{}"), closed, secrets())).anyMatch(v -> v.contains("no answer"));
    }

    @Test
    void casesAreTheSameForTheSameSeedWhateverRanBefore() {
        assertThat(Gen.forCase(7, "http", 12).nextLong()).isEqualTo(Gen.forCase(7, "http", 12).nextLong());
        assertThat(Gen.forCase(7, "http", 12).nextLong()).isNotEqualTo(Gen.forCase(7, "http", 13).nextLong());
    }
}
