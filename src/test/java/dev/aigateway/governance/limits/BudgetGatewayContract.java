package dev.aigateway.governance.limits;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.Json;
import dev.aigateway.fakes.MeteredOpenAi;
import dev.aigateway.governance.keys.VirtualKey;
import dev.aigateway.router.Failover;
import dev.aigateway.server.Responses;
import dev.aigateway.testing.LeavingClient;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.aigateway.governance.limits.TestKeys.key;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Budgets, fallbacks and abandoned answers through a real gateway, against {@link MeteredOpenAi} (a provider that
 * honours output limits and bills what it generates). Each subclass counts locally or in Redis.
 */
abstract class BudgetGatewayContract {
    /** main: $0.00001 a prompt token, $0.0001 an output token, 2000 tokens of output at most. */
    static final double IN = 0.00001;
    static final double OUT = 0.0001;
    static MeteredOpenAi fake;
    protected TestGateway gw;

    protected abstract TestGateway startGateway(String config);

    @BeforeAll
    static void startFake() {
        fake = new MeteredOpenAi();
    }

    @AfterAll
    static void stopFake() {
        fake.close();
    }

    @BeforeEach
    void start() {
        fake.reset();
        fake.maxOutput(2_000).answers(1, 300).usageDelayMs(30).slowMs(400);
        gw = startGateway(config());
    }

    @AfterEach
    void stop() {
        if (gw != null) gw.close();
    }

    static int ids;

    static String deployment(String name, String route, String extraParams) {
        return "  - model_name: " + name + "\n    litellm_params:\n      model: openai/" + name + "-model\n      api_base: "
                + fake.base(route) + "\n      api_key: sk-fake\n" + extraParams
                + "    model_info:\n      id: " + name + "-" + (++ids) + "\n      input_cost_per_token: " + IN + "\n      output_cost_per_token: " + OUT
                + "\n      max_output_tokens: 2000\n";
    }

    static String config() {
        StringBuilder b = new StringBuilder("model_list:\n");
        b.append(deployment("main", "ok", ""));
        b.append(deployment("slow", "slow", ""));
        b.append(deployment("alt", "alt", ""));
        b.append(deployment("forbidden", "forbidden", ""));
        b.append(deployment("capped", "capped", "      rpm: 1\n"));
        b.append(deployment("pair", "down", "      order: 1\n"));
        b.append(deployment("pair", "pair-second", "      order: 2\n      rpm: 1\n"));
        for (String group : new String[]{"down", "down2", "down3", "down4"}) {
            for (int i = 0; i < 8; i++) b.append(deployment(group, "down", ""));
        }
        b.append("router_settings:\n  num_retries: 0\n  allowed_fails: 1000\n");
        return b.toString();
    }

    String install(VirtualKey k) {
        GatewayLimitsContract.install(k, gw);
        return TestKeys.secretOf(k);
    }

    HttpResponse<String> chat(String key, String requestId, String fields) {
        String body = "{\"model\":\"main\",\"messages\":[{\"role\":\"user\",\"content\":\"Tell me something [tag:" + requestId + "]\"}]" + fields + "}";
        return post(key, requestId, body);
    }

    HttpResponse<String> post(String key, String requestId, String body) {
        HttpRequest r = HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/chat/completions")).timeout(Duration.ofSeconds(120))
                .header("content-type", "application/json").header("authorization", "Bearer " + key).header("x-request-id", requestId)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return TestGateway.send(r);
    }

    static String id(String what) {
        return what + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    static JsonNode error(HttpResponse<String> r) {
        return Json.parse(r.body()).path("error");
    }

    /** The spend row of a request, once the gateway has written it. */
    JsonNode spendRow(String requestId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            GatewayLimitsContract.governance(gw).spendLog().flush();
            JsonNode rows = Json.parse(gw.get("/spend/logs?request_id=" + requestId, TestGateway.MASTER_KEY).body());
            if (rows.isArray() && !rows.isEmpty()) return rows.get(0);
            Thread.sleep(50);
        }
        throw new AssertionError("no spend row for " + requestId);
    }

    /** What the fake billed for a tagged request, in USD (every call it received for it), once it has billed it. */
    static double billed(String tag) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> fake.bills().stream().anyMatch(b -> tag.equals(b.tag())));
        double usd = 0;
        for (MeteredOpenAi.Bill b : fake.bills()) {
            if (tag.equals(b.tag())) usd += b.promptTokens() * IN + b.completionTokens() * OUT;
        }
        return usd;
    }

    static long callsFor(String tag) {
        return fake.calls().stream().filter(c -> tag.equals(c.tag())).count();
    }

    static double cost(JsonNode usage) {
        return usage.path("prompt_tokens").asLong() * IN + usage.path("completion_tokens").asLong() * OUT;
    }

    // ---- finding 7: a request is admitted only if its own worst case fits; n and thinking count

    @Test
    void aMaxTokensWhoseWorstCaseCannotFitIsRefusedNamingTheLargestThatFits() {
        String key = install(key().maxBudget(1.0).build());
        String tooMuch = id("too-much");
        HttpResponse<String> refused = chat(key, tooMuch, ",\"max_tokens\":500000"); // $50 worst case on a $1 budget
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
        assertThat(error(refused).path("type").asText()).isEqualTo("budget_exceeded");
        assertThat(error(refused).path("param").asText()).isEqualTo("max_tokens");
        Matcher m = Pattern.compile("the largest max_tokens that fits is (\\d+)\\.").matcher(error(refused).path("message").asText());
        assertThat(m.find()).as(refused.body()).isTrue();
        long fits = Long.parseLong(m.group(1));
        assertThat(fits).isBetween(9_900L, 10_000L); // ($1 - the prompt) / $0.0001

        assertThat(chat(key, id("one-more"), ",\"max_tokens\":" + (fits + 1)).statusCode()).isEqualTo(429);
        HttpResponse<String> ok = chat(key, id("fits"), ",\"max_tokens\":" + fits);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(ok.headers().firstValue(Responses.MAX_TOKENS_CAPPED)).isEmpty(); // its own limit, untouched
        assertThat(callsFor(tooMuch)).as("a refused request reaches no provider").isZero();
    }

    @Test
    void nAnswersReserveNTimesTheirOutputLimit() {
        String key = install(key().maxBudget(1.0).build());
        HttpResponse<String> one = chat(key, id("n1"), ",\"max_tokens\":1000"); // $0.10 worst case
        assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
        String ten = id("n10");
        HttpResponse<String> tenAnswers = chat(key, ten, ",\"max_tokens\":1000,\"n\":10"); // $1.00 + the prompt
        assertThat(tenAnswers.statusCode()).as(tenAnswers.body()).isEqualTo(429);
        assertThat(error(tenAnswers).path("message").asText()).contains("with its max_tokens of 1000").contains("the largest max_tokens that fits is 9");
        assertThat(callsFor(ten)).isZero();
    }

    @Test
    void aThinkingBudgetCountsInTheWorstCase() {
        String key = install(key().maxBudget(1.0).build());
        assertThat(chat(key, id("plain"), ",\"max_tokens\":1000").statusCode()).isEqualTo(200);
        String thinking = id("thinking");
        HttpResponse<String> r = chat(key, thinking, ",\"max_tokens\":1000,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":9500}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
        assertThat(error(r).path("type").asText()).isEqualTo("budget_exceeded");
        assertThat(callsFor(thinking)).isZero();
    }

    @Test
    void aRequestWithoutALimitIsCappedToWhatTheBudgetAffordsAndToldSo() throws Exception {
        fake.answers(1, 50);
        VirtualKey k = key().maxBudget(0.05).build();
        String key = install(k);
        String capped = id("capped");
        HttpResponse<String> r = chat(key, capped, ""); // the model's 2000 tokens would cost $0.20
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        long cap = Long.parseLong(r.headers().firstValue(Responses.MAX_TOKENS_CAPPED).orElseThrow());
        assertThat(cap).isBetween(495L, 499L); // ($0.05 - the prompt) / $0.0001
        MeteredOpenAi.Call sent = fake.calls().stream().filter(c -> capped.equals(c.tag())).findFirst().orElseThrow();
        assertThat(sent.outputLimit()).isEqualTo(cap);
        assertThat(sent.limitField()).isEqualTo("max_completion_tokens"); // what OpenAI's reasoning models accept

        // streamed, the same: header on the stream, limit upstream
        String stream = id("capped-stream");
        HttpResponse<String> s = chat(key, stream, ",\"stream\":true");
        assertThat(s.statusCode()).isEqualTo(200);
        assertThat(s.headers().firstValue(Responses.MAX_TOKENS_CAPPED)).isPresent();
        assertThat(s.body()).endsWith("data: [DONE]\n\n");
        assertThat(spendRow(stream).path("spend").asDouble()).isPositive();
    }

    @Test
    void aSequentialClientIsNeverRefusedWhileItsWorstCaseFits() {
        fake.answers(1, 15); // cheap answers: many requests before the budget runs low
        double budget = 0.2;
        String key = install(key().maxBudget(budget).build());
        double spent = 0;
        double worst = 1000 * OUT + 0.001; // max_tokens 1000, and the prompt with room to spare
        int served = 0;
        for (int i = 0; spent + worst <= budget; i++) {
            boolean stream = i % 2 == 1;
            String fields = ",\"max_tokens\":1000" + (stream ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}" : "");
            HttpResponse<String> r = chat(key, id("seq"), fields);
            assertThat(r.statusCode()).as("request %d after $%.4f of $%.2f: %s", i, spent, budget, r.body()).isEqualTo(200);
            spent += cost(stream ? lastUsage(r.body()) : Json.parse(r.body()).path("usage"));
            served++;
        }
        assertThat(served).isGreaterThan(30);
        // and without a limit of its own: capped, never refused while one token fits
        for (int i = 0; spent + 0.0011 <= budget && i < 40; i++) {
            HttpResponse<String> r = chat(key, id("seq-nolimit"), "");
            assertThat(r.statusCode()).as("after $%.4f of $%.2f: %s", spent, budget, r.body()).isEqualTo(200);
            spent += cost(Json.parse(r.body()).path("usage"));
        }
    }

    static JsonNode lastUsage(String sse) {
        JsonNode usage = null;
        for (String line : sse.split("\n")) {
            if (!line.startsWith("data: {")) continue;
            JsonNode u = Json.parse(line.substring(6)).get("usage");
            if (u != null && u.isObject()) usage = u;
        }
        assertThat(usage).as("a usage chunk in %s", sse).isNotNull();
        return usage;
    }

    // ---- finding 5: answers nobody read to the end are charged

    @Test
    void aStreamCutAfterItsAnswerButBeforeTheUsageIsBookedWithTheProvidersUsage() throws Exception {
        fake.usageDelayMs(3_000);
        String key = install(key().maxBudget(0.2).build());
        String tag = id("cut-after");
        String body = "{\"model\":\"main\",\"stream\":true,\"max_tokens\":1000,\"messages\":[{\"role\":\"user\",\"content\":\"Hello there [tag:" + tag + "]\"}]}";
        LeavingClient.Result r = LeavingClient.postAndLeave(gw.baseUrl(), "/v1/chat/completions", key, tag, body,
                got -> got.contains("\"finish_reason\":\"stop\""), 10_000);
        assertThat(r.left()).isTrue();
        assertThat(r.received()).doesNotContain("[DONE]");
        // the gateway reads on for the usage, but the client has its answer: the $0.10 hold goes as soon as the
        // gateway sees the connection close (milliseconds; the usage comes only after 3 s), so a $0.15 worst case
        // fits the $0.20 budget next to what the first one cost. Polled: the close reaches the server asynchronously.
        long deadline = System.nanoTime() + 2_000_000_000L;
        HttpResponse<String> next = chat(key, id("right-after"), ",\"max_tokens\":1500");
        while (next.statusCode() == 429 && System.nanoTime() < deadline) {
            Thread.sleep(20);
            next = chat(key, id("right-after"), ",\"max_tokens\":1500");
        }
        assertThat(next.statusCode()).as("well before the usage arrives: %s", next.body()).isEqualTo(200);
        JsonNode row = spendRow(tag);
        assertThat(row.path("metadata").path("http_status").asInt()).isEqualTo(499);
        assertThat(row.path("spend").asDouble()).isPositive().isCloseTo(billed(tag), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(row.path("completion_tokens").asLong()).isPositive();
    }

    @Test
    void aStreamCutMidAnswerIsChargedAnEstimateOfWhatWasGenerated() throws Exception {
        fake.answers(100, 1_500);
        String key = install(key().maxBudget(5.0).build());
        String tag = id("cut-mid");
        String body = "{\"model\":\"main\",\"stream\":true,\"max_tokens\":1500,\"messages\":[{\"role\":\"user\",\"content\":\"Long story [tag:" + tag + "]\"}]}";
        LeavingClient.Result r = LeavingClient.postAndLeave(gw.baseUrl(), "/v1/chat/completions", key, tag, body,
                got -> LeavingClient.occurrences(got, "\"content\":\" hi\"") >= 20, 10_000);
        assertThat(r.left()).isTrue();
        int seen = r.count("\"content\":\" hi\"");
        JsonNode row = spendRow(tag);
        assertThat(row.path("metadata").path("http_status").asInt()).isEqualTo(499);
        long completion = row.path("completion_tokens").asLong();
        assertThat(completion).as("the tokens that reached the gateway").isGreaterThanOrEqualTo(seen);
        assertThat(row.path("prompt_tokens").asLong()).isPositive();
        assertThat(row.path("spend").asDouble()).isPositive();
        billed(tag);
        long generated = fake.bills().stream().filter(b -> tag.equals(b.tag())).mapToLong(MeteredOpenAi.Bill::completionTokens).sum();
        assertThat(completion).as("never more than the provider generated").isLessThanOrEqualTo(generated);
    }

    @Test
    void aNonStreamedAnswerWhoseClientLeftIsBookedWhenItArrives() throws Exception {
        String key = install(key().maxBudget(5.0).build());
        String tag = id("left-waiting");
        String body = "{\"model\":\"slow\",\"messages\":[{\"role\":\"user\",\"content\":\"Take your time [tag:" + tag + "]\"}]}";
        long sent = System.currentTimeMillis();
        LeavingClient.Result r = LeavingClient.postAndLeave(gw.baseUrl(), "/v1/chat/completions", key, tag, body,
                got -> System.currentTimeMillis() - sent > 100, 10_000); // the answer takes 400 ms
        assertThat(r.left()).isTrue();
        JsonNode row = spendRow(tag);
        assertThat(row.path("metadata").path("http_status").asInt()).isEqualTo(499);
        assertThat(row.path("spend").asDouble()).isPositive().isCloseTo(billed(tag), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(callsFor(tag)).isEqualTo(1);
    }

    // ---- finding 6: every attempt passes the key's checks; attempts are bounded

    @Test
    void fallbacksToAModelTheKeyMayNotUseAreSkipped() {
        String key = install(key().models("main", "down", "alt").build());
        String tag = id("skip");
        HttpResponse<String> r = post(key, tag, "{\"model\":\"down\",\"fallbacks\":[\"forbidden\",\"alt\"],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi [tag:" + tag + "]\"}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-gateway-fallback")).contains("alt");
        String only = id("only-forbidden");
        HttpResponse<String> none = post(key, only, "{\"model\":\"down\",\"fallbacks\":[\"forbidden\"],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi [tag:" + only + "]\"}]}");
        assertThat(none.statusCode()).as("the primary's own error when no fallback may be used").isEqualTo(502);
        assertThat(fake.calls("forbidden")).as("the model outside the key's models receives nothing").isZero();
    }

    @Test
    void aFallbackModelsOwnBudgetApplies() {
        String key = install(key().modelBudget("alt", 0.000001, "1d").build()); // less than any alt call costs
        String tag = id("alt-budget");
        HttpResponse<String> r = post(key, tag, "{\"model\":\"down\",\"fallbacks\":[\"alt\"],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi [tag:" + tag + "]\"}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(502);
        assertThat(fake.calls("alt")).isZero();
    }

    @Test
    void upstreamAttemptsAreBoundedWhateverRetriesAndFallbacksAsk() {
        String key = install(key().build());
        String tag = id("bounded");
        HttpResponse<String> r = post(key, tag, "{\"model\":\"down\",\"num_retries\":10,\"fallbacks\":[\"down2\",\"down3\",\"down4\"],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi [tag:" + tag + "]\"}]}");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(callsFor(tag)).isEqualTo(Failover.MAX_ATTEMPTS);
        assertThat(r.headers().firstValue("x-gateway-attempts")).contains(Integer.toString(Failover.MAX_ATTEMPTS));
    }

    @Test
    void aRetryOrFallbackIsAdmittedAgainstItsDeploymentsRpm() throws Exception {
        GatewayLimitsContract.waitForAFreshMinute();
        String key = install(key().build());
        // retry: pair's first deployment fails, the second (rpm 1) serves once, then refuses
        String first = id("retry-1");
        HttpResponse<String> served = post(key, first, "{\"model\":\"pair\",\"num_retries\":1,\"messages\":[{\"role\":\"user\",\"content\":\"hi [tag:" + first + "]\"}]}");
        assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
        String second = id("retry-2");
        HttpResponse<String> refused = post(key, second, "{\"model\":\"pair\",\"num_retries\":1,\"messages\":[{\"role\":\"user\",\"content\":\"hi [tag:" + second + "]\"}]}");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(502);
        assertThat(fake.calls("pair-second")).isEqualTo(1);
        // fallback: capped (rpm 1) serves once, then is skipped
        String a = id("fb-1");
        assertThat(post(key, a, "{\"model\":\"down\",\"fallbacks\":[\"capped\"],\"messages\":[{\"role\":\"user\",\"content\":\"hi [tag:" + a + "]\"}]}").statusCode()).isEqualTo(200);
        String b = id("fb-2");
        assertThat(post(key, b, "{\"model\":\"down\",\"fallbacks\":[\"capped\"],\"messages\":[{\"role\":\"user\",\"content\":\"hi [tag:" + b + "]\"}]}").statusCode()).isEqualTo(502);
        assertThat(fake.calls("capped")).isEqualTo(1);
    }

}
