package dev.aigateway.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The one redaction of upstream errors: the deployment's own credentials by value, key-shaped text by pattern, a bound. */
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
}
