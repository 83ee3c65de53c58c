package dev.aigateway.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.Json;
import dev.aigateway.fuzz.RawExchange.Framing;
import dev.aigateway.fuzz.RawExchange.Header;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random sequences over one key's life: made (with random limits) by the master key or an admin key, used on the LLM
 * routes, blocked, unblocked, updated, regenerated, deleted, and used again, with the usual invariants on every answer
 * plus the lifecycle's own: a blocked, deleted or replaced key gets 401 on its next request, an unblocked one and the
 * replacement do not, and no answer shows the key except the one that made it.
 */
class KeyLifecycleFuzzTest {
    static final int CI_SEQUENCES = 300;

    enum Step { USE, BLOCK, UNBLOCK, UPDATE, REGENERATE, REGENERATE_BY_PATH, DELETE, INFO }

    @Test
    void keysBehaveThroughRandomLifecycles() {
        long seed = Gen.seed();
        int sequences = Gen.cases(CI_SEQUENCES);
        int only = Gen.onlyCase();
        try (FuzzGateway world = new FuzzGateway()) {
            FuzzRun run = new FuzzRun("sequence", seed, world);
            world.log.drain();
            for (int i = 0; i < sequences && !run.full(); i++) {
                if (only >= 0 && i != only) continue;
                sequence(world, run, i, Gen.forCase(seed, "sequence", i));
            }
            List<String> alive = world.stillServes();
            run.logViolations();
            System.out.println(run.summary());
            assertThat(alive).isEmpty();
            assertThat(run.failures).as("lifecycle fuzz failures (seed %d)", seed).isEmpty();
        }
    }

    private static void sequence(FuzzGateway world, FuzzRun run, int no, Gen g) {
        String admin = g.coin() ? FuzzGateway.MASTER_KEY : world.keys.get(FuzzGateway.Role.ADMIN);
        String fields = g.pick("{}", "{\"models\":[\"mock\"]}", "{\"rpm_limit\":1000}", "{\"max_budget\":100}",
                "{\"allowed_routes\":[\"openai_routes\",\"/key/info\"]}", "{\"key_type\":\"llm_api\"}", "{\"max_parallel_requests\":5}",
                "{\"aliases\":{\"gpt-4\":\"mock\"}}", "{\"metadata\":{\"k\":\"v\"},\"user_id\":\"u-" + no + "\"}");
        Exchange made = send(world, run, no, 0, Route.KEY_GENERATE, "POST", "/key/generate", admin, fields);
        if (made == null || made.r.status() != 200) {
            run.fail(no, made == null ? null : made.c, made == null ? null : made.r, List.of("could not make the sequence's key"));
            return;
        }
        String key = Json.parse(made.r.bodyText()).path("key").asText();
        List<String> dead = new ArrayList<>();
        boolean blocked = false;
        boolean deleted = false;
        int steps = g.between(4, 12);
        for (int s = 1; s <= steps && !deleted; s++) {
            Step step = Step.values()[g.weighted(40, 10, 10, 10, 8, 5, 5, 8)];
            String body = "{\"key\":\"" + key + "\"}";
            Exchange e = switch (step) {
                case USE -> use(world, run, no, s, g, key);
                case BLOCK -> send(world, run, no, s, Route.KEY_BLOCK, "POST", "/key/block", admin, body);
                case UNBLOCK -> send(world, run, no, s, Route.KEY_UNBLOCK, "POST", "/key/unblock", admin, body);
                case UPDATE -> send(world, run, no, s, Route.KEY_UPDATE, "POST", "/key/update", admin,
                        "{\"key\":\"" + key + "\"," + g.pick("\"rpm_limit\":500", "\"models\":[]", "\"metadata\":{\"n\":" + s + "}", "\"max_budget\":null") + "}");
                case REGENERATE -> send(world, run, no, s, Route.KEY_REGENERATE, "POST", "/key/regenerate", admin, body);
                case REGENERATE_BY_PATH -> send(world, run, no, s, Route.KEY_PATH_REGENERATE, "POST", "/key/" + key + "/regenerate", admin, null);
                case DELETE -> send(world, run, no, s, Route.KEY_DELETE, "POST", "/key/delete", admin, "{\"keys\":[\"" + key + "\"]}");
                case INFO -> send(world, run, no, s, Route.KEY_INFO, "GET", "/key/info", key, null);
            };
            if (e == null) return;
            int status = e.r.status();
            List<String> v = new ArrayList<>();
            boolean usable = !blocked && !deleted;
            switch (step) {
                case BLOCK -> { if (status == 200) blocked = true; else v.add("block answered " + status); }
                case UNBLOCK -> { if (status == 200) blocked = false; else v.add("unblock answered " + status); }
                case DELETE -> { if (status == 200) deleted = true; else v.add("delete answered " + status); }
                case UPDATE -> { if (status != 200) v.add("update answered " + status); }
                case REGENERATE, REGENERATE_BY_PATH -> {
                    if (status != 200) v.add("regenerate answered " + status);
                    else {
                        dead.add(key);
                        key = Json.parse(e.r.bodyText()).path("key").asText();
                    }
                }
                case USE, INFO -> {
                    if (!usable && status != 401) v.add("a " + (deleted ? "deleted" : "blocked") + " key got " + status + ", not 401");
                    if (usable && (status == 401 || status == 403 && step == Step.INFO)) v.add("a live key got " + status);
                }
            }
            if (!dead.isEmpty() && g.chance(0.5)) { // a replaced key stays dead
                Exchange old = use(world, run, no, s, g, g.pick(dead));
                if (old == null) return;
                if (old.r.status() != 401) run.fail(no, old.c, old.r, List.of("a replaced key got " + old.r.status() + ", not 401"));
            }
            if (!v.isEmpty()) run.fail(no, e.c, e.r, v);
        }
    }

    private record Exchange(RequestGen.Case c, RawExchange.Response r) {}

    /** The key on an LLM route, with a random header form; the mock answers. */
    private static Exchange use(FuzzGateway world, FuzzRun run, int no, int step, Gen g, String key) {
        Route route = g.pick(Route.CHAT, Route.CHAT, Route.EMBEDDINGS, Route.MESSAGES, Route.MODELS);
        String body = switch (route) {
            case CHAT -> "{\"model\":\"" + g.pick("mock", "gpt-4") + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]" + (g.coin() ? ",\"stream\":true" : "") + "}";
            case EMBEDDINGS -> "{\"model\":\"mock\",\"input\":\"hi\"}";
            case MESSAGES -> "{\"model\":\"mock\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
            default -> null;
        };
        List<Header> h = new ArrayList<>();
        h.add(switch (g.nextInt(3)) {
            case 0 -> new Header("Authorization", "Bearer " + key);
            case 1 -> new Header("x-api-key", key);
            default -> new Header("api-key", key);
        });
        return exchange(world, run, no, step, route, route.method, "/v1" + route.path, h, body);
    }

    private static Exchange send(FuzzGateway world, FuzzRun run, int no, int step, Route route, String method, String path, String key, String json) {
        List<Header> h = new ArrayList<>();
        h.add(new Header("Authorization", "Bearer " + key));
        return exchange(world, run, no, step, route, method, path, h, json);
    }

    private static Exchange exchange(FuzzGateway world, FuzzRun run, int no, int step, Route route, String method, String path,
                                     List<Header> headers, String json) {
        if (json != null) headers.add(new Header("Content-Type", "application/json"));
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        RawExchange.Request q = new RawExchange.Request(method, path, headers, body, json == null && method.equals("GET") ? Framing.NONE : Framing.LENGTH);
        RequestGen.Case c = new RequestGen.Case(route, FuzzGateway.Role.DEFAULT, q, null, null);
        RawExchange.Response r = RawExchange.exchange(world.port(), q, FuzzGateway.TIMEOUT_MS);
        run.count(c, r);
        run.learn(no * 100 + step, c, r);
        List<String> v = new ArrayList<>(Invariants.check(c, r, world.secrets));
        v.addAll(run.logViolations());
        if (!v.isEmpty()) {
            run.fail(no, c, r, v);
            return null;
        }
        return new Exchange(c, r);
    }
}
