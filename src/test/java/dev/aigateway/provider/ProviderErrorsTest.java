package dev.aigateway.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one redaction of upstream errors (the deployment's own credentials by value, key-shaped text by pattern, a bound),
 * and the one table from a provider's status, message and code to the gateway's errors.
 */
class ProviderErrorsTest {
    private static final String BASE = "https://proxy-user:proxy-pa55@llm.internal.example/v1?api-key=q-secret-42";

    private static Deployment deployment() {
        ObjectNode params = Json.object().put("model", "openai/x").put("api_key", "plain-credential-value")
                .put("aws_secret_access_key", "aws-secret-value-123").put("api_base", BASE);
        return new Deployment("d", "m", "openai", "x", "plain-credential-value", BASE, null, null, null, 1, 0, params, Json.object(), true);
    }

    @Test
    void theDeploymentsOwnCredentialsAreRedactedWhereverTheyAppear() {
        String echoed = "denied for plain-credential-value (aws aws-secret-value-123) via " + BASE + " and user proxy-user:proxy-pa55";
        String clean = ProviderErrors.redact(echoed, deployment());
        assertThat(clean).doesNotContain("plain-credential-value").doesNotContain("aws-secret-value-123").doesNotContain("proxy-pa55")
                .doesNotContain("q-secret-42").contains("[redacted]").contains("llm.internal.example");
    }

    @Test
    void anythingShapedLikeAKeyIsRedacted() {
        String text = "Incorrect API key provided: sk-proj-abc***wxyz. Also sk-ant-api03-AAAAbbbbCCCC, AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUv, "
                + "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig and https://h.example/x?key=AIzaSecret&alt=sse ?token=t0k3n";
        String clean = ProviderErrors.redact(text, null);
        assertThat(clean).doesNotContain("sk-proj-abc").doesNotContain("AAAAbbbb").doesNotContain("A1b2C3d4").doesNotContain("eyJhbGci")
                .doesNotContain("AIzaSecret").doesNotContain("t0k3n").contains("alt=sse");
        assertThat(ProviderErrors.redact("model gpt-4o not found", deployment())).isEqualTo("model gpt-4o not found");
    }

    @Test
    void messagesAreBoundedAndTheErrorKeepsItsShape() {
        String huge = "x".repeat(50_000) + " plain-credential-value";
        GatewayException e = new GatewayException(502, "api_error", "upstream_error", null, "openai returned 500: " + huge, Map.of("Retry-After", "3"));
        GatewayException clean = ProviderErrors.scrub(e, deployment());
        assertThat(clean.getMessage().length()).isLessThan(ProviderErrors.MAX_MESSAGE_CHARS + 100);
        assertThat(clean.getMessage()).doesNotContain("plain-credential-value").contains("more characters not shown");
        assertThat(clean.status()).isEqualTo(502);
        assertThat(clean.type()).isEqualTo("api_error");
        assertThat(clean.code()).isEqualTo("upstream_error");
        assertThat(clean.headers()).containsEntry("Retry-After", "3");
        GatewayException plain = GatewayException.timeout("openai did not answer within 100 ms");
        assertThat(ProviderErrors.scrub(plain, deployment())).isSameAs(plain);
    }

    // --- map: a provider's status to the gateway's error table

    @ParameterizedTest
    @CsvSource({
            "401, 401, authentication_error, invalid_api_key",
            "403, 403, permission_error, access_denied",
            "404, 404, invalid_request_error, model_not_found",
            "408, 408, timeout, timeout",
            "504, 408, timeout, timeout",
            "429, 429, rate_limit_error, rate_limit_exceeded",
            "503, 503, service_unavailable, service_unavailable",
            "529, 503, service_unavailable, service_unavailable",
            "500, 502, api_error, upstream_error",
            "502, 502, api_error, upstream_error",
            "418, 502, api_error, upstream_error",
    })
    void statusesMapToTheErrorTable(int upstream, int status, String type, String code) {
        GatewayException e = ProviderErrors.map("openai", upstream, "it went wrong", null, null);
        assertThat(e.status()).isEqualTo(status);
        assertThat(e.type()).isEqualTo(type);
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.getMessage()).isEqualTo("openai returned " + upstream + ": it went wrong");
    }

    @Test
    void badRequestsAreToldApartByMessageOrCode() {
        for (int s : new int[] {400, 413, 422}) {
            GatewayException cw = ProviderErrors.map("anthropic", s, "prompt is too long: 250000 tokens > 200000 maximum", null, null);
            assertThat(cw.status()).isEqualTo(400);
            assertThat(cw.code()).as("status " + s).isEqualTo("context_length_exceeded");
            assertThat(cw.param()).isEqualTo("messages");
        }
        assertThat(ProviderErrors.map("openai", 400, "nope", "context_length_exceeded", null).code()).isEqualTo("context_length_exceeded");
        assertThat(ProviderErrors.map("azure", 400, "The response was filtered due to the prompt triggering Azure OpenAI's content management policy",
                null, null).code()).isEqualTo("content_policy_violation");
        assertThat(ProviderErrors.map("openai", 400, "no", "Content_Filter", null).code()).isEqualTo("content_policy_violation");
        GatewayException plain = ProviderErrors.map("openai", 400, "Unrecognized request argument", "Invalid_Value", null);
        assertThat(plain.status()).isEqualTo(400);
        assertThat(plain.type()).isEqualTo("invalid_request_error");
        assertThat(plain.code()).as("the provider's own code, lower-cased").isEqualTo("invalid_value");
        assertThat(ProviderErrors.map("openai", 400, "x", null, null).code()).isNull();
        assertThat(ProviderErrors.map("openai", 500, "prompt is too long", null, null).code())
                .as("only a 400-class answer is a context-window error").isEqualTo("upstream_error");
    }

    @Test
    void retryAfterIsCarriedOverOnlyWhereItMeansWaitAndRetry() {
        MultiMap h = MultiMap.caseInsensitiveMultiMap().add("Retry-After", "12");
        assertThat(ProviderErrors.map("openai", 429, "slow", null, h).headers()).containsEntry("Retry-After", "12");
        assertThat(ProviderErrors.map("openai", 503, "busy", null, h).headers()).containsEntry("Retry-After", "12");
        assertThat(ProviderErrors.map("anthropic", 529, "overloaded", null, h).headers()).containsEntry("Retry-After", "12");
        assertThat(ProviderErrors.map("openai", 429, "slow", null, null).headers()).as("a 429 without one: 1 s").containsEntry("Retry-After", "1");
        assertThat(ProviderErrors.map("openai", 500, "boom", null, h).headers()).doesNotContainKey("Retry-After");
        assertThat(ProviderErrors.map("openai", 400, "bad", null, h).headers()).doesNotContainKey("Retry-After");
    }

    @Test
    void anEmptyMessageIsSaidToBeEmpty() {
        assertThat(ProviderErrors.map("gemini", 500, " ", null, null).getMessage()).isEqualTo("gemini returned 500: (no message)");
        assertThat(ProviderErrors.map("gemini", 400, null, null, null).getMessage()).isEqualTo("gemini returned 400: (no message)");
    }

    @Test
    void boundedCutsLongTextAndSaysHowMuchWasLeftOut() {
        assertThat(ProviderErrors.bounded("abc", 3)).isEqualTo("abc");
        assertThat(ProviderErrors.bounded("abcdef", 3)).isEqualTo("abc... (3 more characters not shown)");
        assertThat(ProviderErrors.bounded(null, 3)).isNull();
    }
}
