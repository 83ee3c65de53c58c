package dev.aigateway.router;

import dev.aigateway.config.RouterSettingsReader;
import dev.aigateway.core.ConfigException;
import dev.aigateway.core.Json;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** router_settings.retry_policy: LiteLLM's policy names, the defaults that spare the caller's mistakes, and start-up errors naming the key. */
class RetryPolicyTest {

    @Test
    void byDefaultTheCallersMistakesAreNotRetriedAndEverythingElseGetsNumRetries() {
        RetryPolicy p = RetryPolicy.DEFAULT;
        for (ErrorKind k : new ErrorKind[] {ErrorKind.BAD_REQUEST, ErrorKind.CONTEXT_WINDOW, ErrorKind.CONTENT_POLICY,
                ErrorKind.AUTHENTICATION, ErrorKind.NOT_FOUND, ErrorKind.CANCELLED}) {
            assertThat(p.retriesFor(k, 7)).as(k.name()).isZero();
        }
        for (ErrorKind k : new ErrorKind[] {ErrorKind.TIMEOUT, ErrorKind.RATE_LIMIT, ErrorKind.SERVER}) {
            assertThat(p.retriesFor(k, 7)).as(k.name()).isEqualTo(7);
            assertThat(p.retriesFor(k, 0)).as(k.name()).isZero();
        }
        assertThat(RouterSettingsReader.retryPolicy(null)).isSameAs(RetryPolicy.DEFAULT);
        assertThat(RouterSettingsReader.retryPolicy(Json.parse("null"))).isSameAs(RetryPolicy.DEFAULT);
    }

    @Test
    void everyKindButCancelledHasLiteLlmsPolicyName() {
        assertThat(Arrays.stream(ErrorKind.values()).filter(k -> k != ErrorKind.CANCELLED).map(k -> k.policyName)).containsExactlyInAnyOrder(
                "BadRequestErrorRetries", "ContextWindowExceededErrorRetries", "ContentPolicyViolationErrorRetries",
                "AuthenticationErrorRetries", "NotFoundErrorRetries", "TimeoutErrorRetries", "RateLimitErrorRetries",
                "InternalServerErrorRetries");
    }

    @Test
    void namedKindsOverrideTheDefaultsAndTheRestKeepThem() {
        RetryPolicy p = RouterSettingsReader.retryPolicy(Json.parse("{\"RateLimitErrorRetries\": 5, \"BadRequestErrorRetries\": 2, \"TimeoutErrorRetries\": 0}"));
        assertThat(p.retriesFor(ErrorKind.RATE_LIMIT, 1)).isEqualTo(5);
        assertThat(p.retriesFor(ErrorKind.BAD_REQUEST, 1)).isEqualTo(2);
        assertThat(p.retriesFor(ErrorKind.TIMEOUT, 3)).isZero();
        assertThat(p.retriesFor(ErrorKind.SERVER, 3)).as("not named: num_retries").isEqualTo(3);
        assertThat(p.retriesFor(ErrorKind.AUTHENTICATION, 3)).as("not named: still the default 0").isZero();
        assertThat(RetryPolicy.DEFAULT.retriesFor(ErrorKind.RATE_LIMIT, 1)).as("DEFAULT is not changed by a parse").isEqualTo(1);
    }

    @Test
    void aWrongPolicyFailsStartUpNamingTheKey() {
        assertThatThrownBy(() -> RouterSettingsReader.retryPolicy(Json.parse("[1]"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("router_settings.retry_policy must be a mapping");
        assertThatThrownBy(() -> RouterSettingsReader.retryPolicy(Json.parse("{\"RateLimitRetries\": 1}"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("router_settings.retry_policy.RateLimitRetries is not a known error kind");
        assertThatThrownBy(() -> RouterSettingsReader.retryPolicy(Json.parse("{\"\": 1}"))).as("CANCELLED's empty name is not a policy name")
                .isInstanceOf(ConfigException.class).hasMessageContaining("is not a known error kind");
        for (String bad : new String[] {"-1", "\"three\"", "true", "{}", "1e10", "1.5", "11"}) {
            assertThatThrownBy(() -> RouterSettingsReader.retryPolicy(Json.parse("{\"TimeoutErrorRetries\": " + bad + "}"))).as(bad)
                    .isInstanceOf(ConfigException.class).hasMessageContaining("router_settings.retry_policy.TimeoutErrorRetries must be a whole number");
        }
    }
}
