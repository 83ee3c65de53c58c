package dev.aigateway.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.Json;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bookkeeping every fuzz suite shares: the failures found (each printed so it can be replayed), what the run saw
 * (status counts, log lines with stack traces), the log check after each case, and the heap measure.
 */
public final class FuzzRun {
    /** Stop collecting after this many: enough to act on, and a broken gateway should not make a 10 MB report. */
    static final int MAX_FAILURES = 20;

    private final String suite;
    private final long seed;
    private final FuzzGateway world;
    public final List<String> failures = new ArrayList<>();
    public final Map<String, Integer> statuses = new TreeMap<>();
    public final Map<String, Integer> warningsWithStack = new TreeMap<>();
    /** Cases that showed an already-reported bug, with one example each (see {@link KnownBug}). */
    public final Map<KnownBug, Integer> known = new java.util.EnumMap<>(KnownBug.class);
    private final Map<KnownBug, String> knownExample = new java.util.EnumMap<>(KnownBug.class);

    public FuzzRun(String suite, long seed, FuzzGateway world) {
        this.suite = suite;
        this.seed = seed;
        this.world = world;
    }

    public boolean full() {
        return failures.size() >= MAX_FAILURES;
    }

    public void count(RequestGen.Case c, RawExchange.Response r) {
        statuses.merge(c.route() + " " + (r.status() < 0 ? "none" : Integer.toString(r.status())), 1, Integer::sum);
    }

    /** Log lines since the last look: no secret in any of them, no ERROR. */
    public List<String> logViolations() {
        List<String> v = new ArrayList<>();
        for (LogTap.Line line : world.log.drain()) {
            for (Secrets.Hit h : world.secrets.find(line.text())) {
                v.add("secret in a log line (" + h.name() + "): " + Invariants.abbreviate(world.secrets.mask(line.text())));
            }
            if (line.level() == ch.qos.logback.classic.Level.ERROR) {
                String head = String.join(" / ", line.text().lines().limit(2).toList());
                v.add("ERROR logged: " + Invariants.abbreviate(world.secrets.mask(head)));
            } else if (line.hasThrowable()) {
                String first = line.text().lines().skip(1).findFirst().orElse("");
                warningsWithStack.merge(line.logger() + ": " + Invariants.abbreviate(world.secrets.mask(first)), 1, Integer::sum);
            }
        }
        return v;
    }

    /** Keys and models a successful admin call made become secrets and targets for later cases. */
    public void learn(int caseNo, RequestGen.Case c, RawExchange.Response r) {
        if (r.status() != 200) return;
        if (c.route() == Route.UI_LOGOUT && world.uiCookie.equals(c.request().header("Cookie"))) {
            try {
                world.login(); // keep the UI_SESSION caller logged in (best effort: the login throttle may refuse)
            } catch (IllegalStateException throttled) {
                // UI_SESSION requests get 401 until the end of the run: still a caller worth fuzzing
            }
        }
        JsonNode n = Json.tryParse(r.body());
        if (n == null) return;
        if (c.route().showsNewKey() && n.path("key").isTextual() && n.path("key").asText().startsWith("sk-")) {
            String key = n.path("key").asText();
            world.secrets.virtualKey("key made by " + suite + " case " + caseNo, key);
            world.madeKeys.add(key);
            if (world.madeKeys.size() > 40) world.madeKeys.remove(0);
        }
        if (c.route() == Route.KEY_GENERATE) {
            String custom = customKey(c);
            if (custom != null) world.secrets.virtualKey("custom key of " + suite + " case " + caseNo, custom);
        }
        if (c.route() == Route.MODEL_NEW) {
            String id = n.path("model_info").path("id").asText(n.path("id").asText(""));
            if (!id.isEmpty() && !world.modelIds.contains(id)) world.modelIds.add(id);
        }
    }

    private static String customKey(RequestGen.Case c) {
        JsonNode b = Json.tryParse(c.request().body());
        return b != null && b.path("key").isTextual() ? b.path("key").asText() : null;
    }

    public void fail(int caseNo, RequestGen.Case c, RawExchange.Response r, List<String> violations) {
        List<String> unknown = new ArrayList<>();
        for (String v : violations) {
            KnownBug bug = KnownBug.strict() ? null : KnownBug.of(c, r, v);
            if (bug == null) {
                unknown.add(v);
                continue;
            }
            known.merge(bug, 1, Integer::sum);
            knownExample.putIfAbsent(bug, "case " + caseNo + ": " + world.secrets.mask(c.request().method() + " "
                    + Invariants.abbreviate(c.request().target())) + " -> " + r.status());
        }
        if (unknown.isEmpty()) return;
        violations = unknown;
        Secrets s = world.secrets;
        RawExchange.Request q = c.request();
        StringBuilder b = new StringBuilder();
        b.append("\n=== ").append(suite).append(" seed ").append(seed).append(" case ").append(caseNo).append(": ")
                .append(String.join("; ", violations)).append('\n');
        b.append("replay: ./mvnw -o test -Dtest=").append(suiteClass()).append(" -Dfuzz.seed=").append(seed)
                .append(" -Dfuzz.case=").append(caseNo).append("   (the run up to it: -Dfuzz.cases=").append(caseNo + 1).append(")\n");
        b.append("caller: ").append(c.role()).append("   route: ").append(c.route()).append("   framing: ").append(q.framing())
                .append("   fakes: openai ").append(c.openai()).append(", anthropic ").append(c.anthropic()).append('\n');
        b.append("request: ").append(s.mask(q.method() + " " + Invariants.abbreviate(q.target()))).append('\n');
        for (RawExchange.Header h : q.headers()) b.append("  ").append(s.mask(h.name() + ": " + Invariants.abbreviate(h.value()))).append('\n');
        b.append("  body (").append(q.body().length).append(" bytes): ")
                .append(s.mask(Invariants.abbreviate(new String(q.body(), StandardCharsets.UTF_8)))).append('\n');
        b.append("response: ").append(r.status()).append(r.failure() == null ? "" : " (" + r.failure() + ")")
                .append(" in ").append(r.millis()).append(" ms\n");
        for (RawExchange.Header h : r.headers()) b.append("  ").append(s.mask(h.name() + ": " + Invariants.abbreviate(h.value()))).append('\n');
        b.append("  body: ").append(s.mask(Invariants.abbreviate(r.bodyText()))).append('\n');
        String text = b.toString();
        failures.add(text);
        System.out.println(text);
    }

    private String suiteClass() {
        return switch (suite) {
            case "http" -> "HttpFuzzTest";
            case "sequence" -> "KeyLifecycleFuzzTest";
            default -> "TransportFuzzTest";
        };
    }

    public String summary() {
        StringBuilder b = new StringBuilder(suite + " fuzz, seed " + seed + ": " + failures.size() + " failure(s)\nstatuses:\n");
        statuses.forEach((k, n) -> b.append("  ").append(k).append(" x").append(n).append('\n'));
        known.forEach((bug, n) -> b.append("!!! KNOWN BUG, NOT FAILING THE BUILD UNTIL FIXED: ").append(bug.title).append(": ")
                .append(n).append(" case(s), e.g. ").append(knownExample.get(bug)).append('\n'));
        if (!warningsWithStack.isEmpty()) {
            b.append("warnings logged with a stack trace (not failures):\n");
            warningsWithStack.forEach((k, n) -> b.append("  x").append(n).append(' ').append(k).append('\n'));
        }
        return b.toString();
    }

    /** Used heap after full collections, in bytes (this JVM's: the gateway runs in-process). */
    public static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
