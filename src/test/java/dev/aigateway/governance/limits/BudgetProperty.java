package dev.aigateway.governance.limits;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;
import dev.aigateway.fakes.MeteredOpenAi;
import dev.aigateway.fuzz.Gen;
import dev.aigateway.governance.keys.VirtualKey;
import dev.aigateway.router.Failover;
import dev.aigateway.testing.LeavingClient;
import dev.aigateway.testing.TestGateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The budget property, run by {@link LocalBudgetPropertyTest} and {@link RedisBudgetPropertyTest}: a random mix of
 * requests on a budgeted key (several answers, a max_tokens or none, thinking budgets, streams the client cuts at
 * random points or right after the answer, clients that leave a slow answer, per-request fallbacks (one of them to a
 * model the key may not use) and retries over deployments that fail) sent by four concurrent clients through a real
 * gateway to {@link MeteredOpenAi}, a provider that honours output limits and bills what it generates. Then:
 * <ul>
 *   <li>what the gateway booked (spend rows) never exceeds {@code max_budget} (nor a fallback model's own budget);</li>
 *   <li>what the provider billed exceeds what was booked only for streams cut mid-answer (the tokens in flight when
 *       the upstream was cancelled), so provider spend stays within {@code max_budget} plus that;</li>
 *   <li>every request whose client received content is booked at more than $0; every request read to its end (or
 *       left after its answer, or left waiting) is booked at exactly what the provider billed;</li>
 *   <li>the model outside the key's models is never called; no request makes more than {@link Failover#MAX_ATTEMPTS}
 *       upstream calls.</li>
 * </ul>
 */
final class BudgetProperty {
    static final double MAIN_IN = 0.00001, MAIN_OUT = 0.0001;
    static final double ALT_IN = 0.00002, ALT_OUT = 0.0003;
    /** The models' maximum output (model_info): what a request without max_tokens may produce, unless capped. */
    static final int MAX_OUTPUT = 400;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final AtomicInteger RUNS = new AtomicInteger();

    private BudgetProperty() {}

    enum Leave { NEVER, MID_ANSWER, AFTER_ANSWER, WHILE_WAITING }

    /** One request of a mix. */
    record Req(String model, int n, Integer maxTokens, int thinking, boolean stream, Leave leave, int leaveAfter,
               List<String> fallbacks, int numRetries) {}

    /** A key's budgets (micro-USD) and the requests sent with it. */
    record Mix(int budgetMicros, Integer altBudgetMicros, List<Req> requests) {
        @Override
        public String toString() {
            return "budget $" + budgetMicros / 1e6 + (altBudgetMicros == null ? "" : ", alt $" + altBudgetMicros / 1e6)
                    + ", " + requests.size() + " requests: " + requests;
        }
    }

    static String config(MeteredOpenAi fake) {
        StringBuilder b = new StringBuilder("model_list:\n");
        b.append(deployment(fake, "main", "ok", MAIN_IN, MAIN_OUT, MAX_OUTPUT));
        b.append(deployment(fake, "main", "flaky", MAIN_IN, MAIN_OUT, MAX_OUTPUT));
        b.append(deployment(fake, "slow", "slow", MAIN_IN, MAIN_OUT, MAX_OUTPUT));
        b.append(deployment(fake, "alt", "alt", ALT_IN, ALT_OUT, MAX_OUTPUT));
        b.append(deployment(fake, "forbidden", "forbidden", MAIN_IN, MAIN_OUT, MAX_OUTPUT));
        for (int i = 0; i < Failover.MAX_ATTEMPTS; i++) b.append(deployment(fake, "down", "down", MAIN_IN, MAIN_OUT, MAX_OUTPUT));
        b.append("router_settings:\n  num_retries: 1\n  allowed_fails: 100000\n");
        return b.toString();
    }

    private static final AtomicInteger IDS = new AtomicInteger();

    private static String deployment(MeteredOpenAi fake, String name, String route, double in, double out, int maxOutput) {
        return "  - model_name: " + name + "\n    litellm_params:\n      model: openai/" + route + "-model\n      api_base: "
                + fake.base(route) + "\n      api_key: sk-fake\n    model_info:\n      id: " + name + "-" + IDS.incrementAndGet()
                + "\n      input_cost_per_token: " + in
                + "\n      output_cost_per_token: " + out + "\n      max_output_tokens: " + maxOutput + "\n";
    }

    /** One random mix, drawn from {@code g} (a seeded generator: the same seed gives the same mix). */
    static Mix mix(Gen g) {
        int budget = g.between(100_000, 1_000_000);
        Integer altBudget = g.coin() ? g.between(10_000, 200_000) : null;
        int count = g.between(20, 32);
        List<Req> requests = new ArrayList<>(count);
        for (int i = 0; i < count; i++) requests.add(req(g));
        return new Mix(budget, altBudget, List.copyOf(requests));
    }

    private static Req req(Gen g) {
        String model = g.pick("main", "main", "main", "alt", "slow", "down");
        int n = g.between(1, 3);
        Integer max = g.chance(0.4) ? null : g.between(1, 600);
        int thinking = g.weighted(7, 3) == 0 ? 0 : g.between(1, 300);
        boolean stream = g.coin();
        Leave l = Leave.values()[g.weighted(6, 2, 2, 1)];
        int after = g.between(1, 30);
        List<String> fallbacks = new ArrayList<>(List.of("alt", "forbidden", "down", "main"));
        java.util.Collections.shuffle(fallbacks, new java.util.Random(g.nextLong()));
        fallbacks = List.copyOf(fallbacks.subList(0, g.between(0, 3)));
        int retries = g.between(0, 10);
        // a non-streamed request can only be left while it waits (for a slow model); a stream, mid-answer
        Leave how = !stream && (l == Leave.MID_ANSWER || l == Leave.AFTER_ANSWER) ? Leave.WHILE_WAITING
                : stream && l == Leave.WHILE_WAITING ? Leave.MID_ANSWER : l;
        return new Req(how == Leave.WHILE_WAITING ? "slow" : model, n, max, thinking, stream, how, after, fallbacks, retries);
    }

    /**
     * Runs {@code tries} mixes from {@code seed} (or {@code -Dfuzz.seed}; {@code -Dfuzz.case=i} replays mix i alone),
     * naming the seed and the mix of a failure so it can be replayed.
     */
    static void forMixes(long seed, int tries, MixCheck check) throws Exception {
        long s = System.getProperty("fuzz.seed") == null ? seed : Gen.seed();
        int only = Gen.onlyCase();
        for (int i = 0; i < Gen.cases(tries); i++) {
            if (only >= 0 && i != only) continue;
            Mix mix = mix(Gen.forCase(s, "budget", i));
            try {
                check.run(mix);
            } catch (AssertionError | Exception e) {
                throw new AssertionError("budget property failed for mix " + i + " of seed " + s + " (replay: -Dfuzz.seed=" + s
                        + " -Dfuzz.case=" + i + "): " + mix, e);
            }
        }
    }

    @FunctionalInterface
    interface MixCheck {
        void run(Mix mix) throws Exception;
    }

    /** What one request did, as its client saw it. */
    record Outcome(Req req, String tag, int status, String body, boolean left, boolean receivedContent) {}

    static void check(TestGateway gw, MeteredOpenAi fake, Mix mix) throws Exception {
        int run = RUNS.incrementAndGet();
        long t0 = System.nanoTime();
        TestKeys kb = TestKeys.key().maxBudget(mix.budgetMicros() / 1e6).models("main", "slow", "alt", "down");
        if (mix.altBudgetMicros() != null) kb.modelBudget("alt", mix.altBudgetMicros() / 1e6, "1d");
        VirtualKey k = kb.build();
        GatewayLimitsContract.install(k, gw);
        String secret = TestKeys.secretOf(k);

        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<Outcome>> pending = new ArrayList<>();
        for (int i = 0; i < mix.requests().size(); i++) {
            Req r = mix.requests().get(i);
            String tag = "p" + run + "-" + i + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
            pending.add(clients.submit(() -> {
                long s0 = System.nanoTime();
                Outcome o = send(gw, secret, tag, r);
                long ms = (System.nanoTime() - s0) / 1_000_000;
                if (ms > 1000) System.out.println("SLOW " + ms + " ms " + tag + " " + r + " -> " + o.status() + " left=" + o.left());
                return o;
            }));
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<Outcome> f : pending) outcomes.add(f.get(120, TimeUnit.SECONDS));
        clients.shutdown();
        long sentMs = (System.nanoTime() - t0) / 1_000_000;

        for (Outcome o : outcomes) {
            if (o.left()) continue;
            assertThat(o.status()).as("%s: %s", o.req(), o.body()).isIn(200, 429, 502);
            if (o.status() == 429) assertThat(Json.parse(o.body()).path("error").path("type").asText()).as(o.body()).isEqualTo("budget_exceeded");
        }

        Map<String, JsonNode> rows = spendRows(gw, k, outcomes.size());
        Map<String, Double> billed = new HashMap<>();
        Map<String, Long> calls = new HashMap<>();
        for (MeteredOpenAi.Bill b : fake.bills()) {
            if (b.tag() == null || !b.tag().startsWith("p" + run + "-")) continue;
            boolean alt = b.route().equals("alt");
            billed.merge(b.tag(), b.promptTokens() * (alt ? ALT_IN : MAIN_IN) + b.completionTokens() * (alt ? ALT_OUT : MAIN_OUT), Double::sum);
        }
        for (MeteredOpenAi.Call c : fake.calls()) if (c.tag() != null) calls.merge(c.tag(), 1L, Long::sum);

        double booked = 0, bookedAlt = 0, provider = 0, inFlight = 0;
        for (Outcome o : outcomes) {
            JsonNode row = rows.get(o.tag());
            double spend = row.path("spend").asDouble();
            double bill = billed.getOrDefault(o.tag(), 0.0);
            booked += spend;
            provider += bill;
            if ("openai/alt-model".equals(row.path("model").asText()) || "alt-model".equals(row.path("model").asText())) bookedAlt += spend;
            if (o.receivedContent() || o.status() == 200) {
                assertThat(spend).as("%s got content: never $0 (%s)", o.tag(), row).isPositive();
            }
            boolean cutMidAnswer = o.left() && o.req().leave() == Leave.MID_ANSWER;
            if (cutMidAnswer) {
                inFlight += Math.max(0, bill - spend);
            } else {
                assertThat(spend).as("%s (%s) is booked at what the provider billed: %s", o.tag(), o.req(), row)
                        .isCloseTo(bill, org.assertj.core.data.Offset.offset(1e-9));
            }
            assertThat(calls.getOrDefault(o.tag(), 0L)).as("upstream calls of %s", o.tag()).isLessThanOrEqualTo(Failover.MAX_ATTEMPTS);
        }
        double budget = mix.budgetMicros() / 1e6;
        double slack = 1e-9 * outcomes.size();
        System.out.printf("budget property run %d (%s, requests %d ms, spend rows %d ms): budget %.6f, booked %.6f, provider billed %.6f (%.6f generated after cuts), "
                        + "%d requests: %d answered, %d refused, %d failed, %d left%n",
                run, gw.server().governance().limiter().redisStatus(), sentMs, (System.nanoTime() - t0) / 1_000_000 - sentMs, budget, booked, provider, inFlight, outcomes.size(),
                outcomes.stream().filter(o -> !o.left() && o.status() == 200).count(),
                outcomes.stream().filter(o -> !o.left() && o.status() == 429).count(),
                outcomes.stream().filter(o -> !o.left() && o.status() == 502).count(),
                outcomes.stream().filter(Outcome::left).count());
        assertThat(booked).as("booked spend within max_budget").isLessThanOrEqualTo(budget + slack);
        assertThat(provider).as("provider spend within max_budget + what cut streams generated in flight").isLessThanOrEqualTo(budget + inFlight + slack);
        if (mix.altBudgetMicros() != null) assertThat(bookedAlt).as("alt's own budget").isLessThanOrEqualTo(mix.altBudgetMicros() / 1e6 + slack);
        assertThat(fake.calls("forbidden")).as("the model outside the key's models").isZero();
    }

    private static Outcome send(TestGateway gw, String secret, String tag, Req r) {
        ObjectNode body = Json.object().put("model", r.model());
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "user").put("content", "Request " + tag + " asks for something [tag:" + tag + "]");
        if (r.n() > 1) body.put("n", r.n());
        if (r.maxTokens() != null) body.put("max_tokens", r.maxTokens());
        if (r.thinking() > 0) body.putObject("thinking").put("type", "enabled").put("budget_tokens", r.thinking());
        if (r.stream()) body.put("stream", true);
        if (!r.fallbacks().isEmpty()) {
            ArrayNode f = body.putArray("fallbacks");
            r.fallbacks().forEach(f::add);
        }
        body.put("num_retries", r.numRetries());
        String json = body.toString();
        return switch (r.leave()) {
            case NEVER -> {
                HttpRequest req = HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/chat/completions")).timeout(Duration.ofSeconds(60))
                        .header("content-type", "application/json").header("authorization", "Bearer " + secret).header("x-request-id", tag)
                        .POST(HttpRequest.BodyPublishers.ofString(json)).build();
                HttpResponse<String> resp = TestGateway.send(req);
                boolean content = resp.statusCode() == 200 && (r.stream() ? resp.body().contains("\"content\":\" hi\"") : true);
                yield new Outcome(r, tag, resp.statusCode(), resp.body(), false, content);
            }
            case MID_ANSWER -> leaving(gw, secret, tag, r, json, got -> LeavingClient.occurrences(got, "\" hi\"") + LeavingClient.occurrences(got, "\" hm\"") >= r.leaveAfter());
            case AFTER_ANSWER -> leaving(gw, secret, tag, r, json, got -> LeavingClient.occurrences(got, "\"finish_reason\":\"stop\"") >= r.n());
            case WHILE_WAITING -> {
                long sent = System.currentTimeMillis();
                yield leaving(gw, secret, tag, r, json, got -> System.currentTimeMillis() - sent > 50);
            }
        };
    }

    private static Outcome leaving(TestGateway gw, String secret, String tag, Req r, String json, java.util.function.Predicate<String> when) {
        LeavingClient.Result res = LeavingClient.postAndLeave(gw.baseUrl(), "/v1/chat/completions", secret, tag, json, when, 60_000);
        String got = res.received();
        int status = got.startsWith("HTTP/1.1 ") ? Integer.parseInt(got.substring(9, 12)) : 0;
        boolean content = got.contains("\" hi\"") || got.contains("\" hm\"");
        if (!res.left()) {
            int start = got.indexOf("\r\n\r\n");
            return new Outcome(r, tag, status, start < 0 ? got : got.substring(start + 4), false, content);
        }
        return new Outcome(r, tag, status, got, true, content);
    }

    /** Every request's spend row, by request id, once all of them are written. */
    private static Map<String, JsonNode> spendRows(TestGateway gw, VirtualKey k, int expected) throws InterruptedException {
        Map<String, JsonNode> rows = new ConcurrentHashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            gw.server().governance().spendLog().flush();
            JsonNode page = Json.parse(gw.get("/spend/logs?api_key=" + k.tokenHash() + "&page_size=1000", TestGateway.MASTER_KEY).body());
            rows.clear();
            for (JsonNode row : page) rows.put(row.path("client_request_id").asText(row.path("request_id").asText()), row); // tagged by x-request-id
            if (rows.size() >= expected) return rows;
            Thread.sleep(100);
        }
        throw new AssertionError("only " + rows.size() + " of " + expected + " spend rows were written");
    }
}
