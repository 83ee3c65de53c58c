package dev.aigateway.governance.limits;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.Json;
import dev.aigateway.governance.Governance;
import dev.aigateway.governance.keys.VirtualKey;
import dev.aigateway.governance.spend.CostEstimator;
import dev.aigateway.governance.spend.Money;
import dev.aigateway.governance.spend.Pricing;
import dev.aigateway.governance.spend.Tokenizer;
import dev.aigateway.pricing.ModelPrice;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.aigateway.governance.limits.TestKeys.key;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Budgets and rate limits through a real gateway (HTTP in, mock model out), for each way of counting:
 * the subclasses start the gateway locally or with Redis.
 */
abstract class GatewayLimitsContract {
    /** A mock model with prices, slow enough (50 ms) that concurrent requests overlap. */
    static final String CONFIG = """
            model_list:
              - model_name: priced
                litellm_params:
                  model: mock/priced
                  mock_response: "The quick brown fox jumps over the lazy dog."
                  mock_latency_ms: 50
                model_info:
                  input_cost_per_token: 0.0001
                  output_cost_per_token: 0.002
              - model_name: fast
                litellm_params:
                  model: mock/fast
                  mock_response: "ok"
            """;
    static final String RACE_BODY = """
            {"model": "priced", "max_tokens": 20, "messages": [{"role": "user", "content": "hi"}]}""";
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    protected TestGateway gw;

    protected abstract TestGateway startGateway(String config);

    @AfterEach
    void stopGateway() {
        if (gw != null) gw.close();
    }

    static Governance governance(TestGateway g) {
        return g.server().governance();
    }

    /** Stores a key and loads it into the registry of each gateway (as /key/generate would). */
    static void install(VirtualKey k, TestGateway... gateways) {
        governance(gateways[0]).keyStore().insert(k);
        for (TestGateway g : gateways) governance(g).keys().reload(k.tokenHash());
    }

    static CompletableFuture<HttpResponse<String>> postAsync(TestGateway g, String body, String key) {
        HttpRequest r = HttpRequest.newBuilder(URI.create(g.baseUrl() + "/v1/chat/completions")).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json").header("authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HTTP.sendAsync(r, HttpResponse.BodyHandlers.ofString());
    }

    /** The worst case the gateway reserves for {@link #RACE_BODY}, in nano-USD. */
    static long raceEstimate(TestGateway g) {
        Deployment d = g.server().router().pick("priced");
        Tokenizer.load(); // the gateway's keys with budgets preload it; exact counts here and there
        return CostEstimator.estimateNanos((ObjectNode) Json.parse(RACE_BODY), governance(g).pricing().priceOf(d));
    }

    static long costOf(TestGateway g, JsonNode usage) {
        ModelPrice price = governance(g).pricing().priceOf(g.server().router().pick("priced"));
        return Money.nanos(Pricing.cost(usage, price));
    }

    /** Outcome of a burst: what the admitted requests cost, and how many were admitted and refused. */
    record Burst(long costNanos, int admitted, int refused) {}

    /** Fires the requests at once (round-robin over the gateways) and checks every answer is a 200 or a budget 429. */
    static Burst burst(int n, String key, TestGateway... gateways) throws Exception {
        return burst(n, List.of(key), "Budget has been exceeded! Current cost: ", gateways);
    }

    /** The same with several keys (round-robin too), whose refusals start with {@code refusal}. */
    static Burst burst(int n, List<String> keys, String refusal, TestGateway... gateways) throws Exception {
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) all.add(postAsync(gateways[i % gateways.length], RACE_BODY, keys.get(i % keys.size())));
        long cost = 0;
        int ok = 0, refused = 0;
        for (CompletableFuture<HttpResponse<String>> f : all) {
            HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
            JsonNode body = Json.parse(r.body());
            if (r.statusCode() == 200) {
                ok++;
                cost += costOf(gateways[0], body.get("usage"));
            } else {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
                assertThat(body.path("error").path("type").asText()).isEqualTo("budget_exceeded");
                assertThat(body.path("error").path("message").asText()).startsWith(refusal);
                refused++;
            }
        }
        return new Burst(cost, ok, refused);
    }

    @Test
    void fiftyConcurrentRequestsOnANearlySpentKeyEndWithinOneRequestOfTheBudget() throws Exception {
        gw = startGateway(CONFIG);
        long estimate = raceEstimate(gw);
        double maxBudget = 1.0;
        double spend = maxBudget - 2 * Money.usd(estimate); // room for about two requests
        VirtualKey k = key().spend(spend).maxBudget(maxBudget).alias("race").build();
        install(k, gw);
        String secret = secretOf(k);

        Burst b = burst(50, secret, gw);

        long finalSpend = Money.nanos(spend) + b.costNanos();
        assertThat(b.admitted()).isPositive();
        assertThat(b.refused()).isPositive();
        assertThat(b.admitted() + b.refused()).isEqualTo(50);
        assertThat(finalSpend).as("spend %s after %d admitted, budget %s, one request's worst case %s",
                        Money.usd(finalSpend), b.admitted(), maxBudget, Money.usd(estimate))
                .isLessThanOrEqualTo(Money.nanos(maxBudget) + estimate);
        // the limiter's own figure is the same sum
        Thread.sleep(200); // the last settlements (asynchronous with Redis)
        HttpResponse<String> after = postAsync(gw, RACE_BODY, secret).get(10, TimeUnit.SECONDS);
        if (finalSpend >= Money.nanos(maxBudget)) {
            assertThat(after.statusCode()).isEqualTo(429);
            assertThat(Json.parse(after.body()).path("error").path("message").asText())
                    .startsWith("Budget has been exceeded! Current cost: " + Refusals.usd(finalSpend) + ", Max budget: 1.0");
        }
    }

    @Test
    void rateLimitHeadersAndRetryAfterReachTheClient() throws Exception {
        gw = startGateway(CONFIG);
        VirtualKey k = key().rpm(2).tpm(100_000).build();
        install(k, gw);
        String body = "{\"model\": \"fast\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}";
        waitForAFreshMinute();
        HttpResponse<String> first = postAsync(gw, body, secretOf(k)).get(10, TimeUnit.SECONDS);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("x-ratelimit-limit-requests")).contains("2");
        assertThat(first.headers().firstValue("x-ratelimit-remaining-requests")).contains("1");
        assertThat(first.headers().firstValue("x-ratelimit-limit-tokens")).contains("100000");
        assertThat(first.headers().firstValue("x-ratelimit-remaining-tokens")).contains("100000");
        HttpResponse<String> second = postAsync(gw, body, secretOf(k)).get(10, TimeUnit.SECONDS);
        assertThat(second.headers().firstValue("x-ratelimit-remaining-requests")).contains("0");
        assertThat(Long.parseLong(second.headers().firstValue("x-ratelimit-remaining-tokens").orElseThrow())).isLessThan(100_000);
        HttpResponse<String> third = postAsync(gw, body, secretOf(k)).get(10, TimeUnit.SECONDS);
        assertThat(third.statusCode()).isEqualTo(429);
        JsonNode error = Json.parse(third.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("rate_limit_error");
        assertThat(error.path("message").asText()).isEqualTo("Key rpm_limit of 2 requests per minute reached.");
        Optional<String> retry = third.headers().firstValue("retry-after");
        assertThat(retry).isPresent();
        assertThat(Long.parseLong(retry.get())).isBetween(1L, 60L);
    }

    @Test
    void aBudgetWindowThatEndedIsResetInTheDatabase() throws Exception {
        gw = startGateway(CONFIG);
        Instant pastEnd = Instant.now().minus(Duration.ofMinutes(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        VirtualKey k = key().spend(5.0).maxBudget(1.0).budgetDuration("30s", pastEnd).build();
        install(k, gw);
        HttpResponse<String> r = postAsync(gw, RACE_BODY, secretOf(k)).get(10, TimeUnit.SECONDS);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200); // a new window: last window's 5.0 does not count
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        VirtualKey stored;
        do {
            stored = governance(gw).keyStore().byHash(k.tokenHash()).orElseThrow();
            if (!pastEnd.equals(stored.budgetResetAt())) break;
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        assertThat(stored.spend()).isZero();
        long movedBy = stored.budgetResetAt().toEpochMilli() - pastEnd.toEpochMilli();
        assertThat(movedBy % 30_000).isZero(); // whole windows, skipping the missed ones
        assertThat(stored.budgetResetAt()).isAfter(Instant.now().minusSeconds(1)).isBefore(Instant.now().plusSeconds(31));
        assertThat(governance(gw).keys().find(k.tokenHash()).budgetResetAt()).isEqualTo(stored.budgetResetAt()); // registry updated
    }

    /** Keys built by {@link TestKeys} keep their secret; tests look it up by hash. */
    static String secretOf(VirtualKey k) {
        return TestKeys.secretOf(k);
    }

    /** Waits, if needed, so that a short test does not straddle two minute windows. */
    static void waitForAFreshMinute() throws InterruptedException {
        int second = Instant.now().atZone(java.time.ZoneOffset.UTC).getSecond();
        if (second > 50) Thread.sleep((61 - second) * 1000L);
    }
}
