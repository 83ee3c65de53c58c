package dev.aigateway.governance.limits;

import dev.aigateway.core.Deployment;
import dev.aigateway.core.Json;
import dev.aigateway.governance.Authenticator;
import dev.aigateway.governance.keys.VirtualKey;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Builds virtual keys and deployments for limiter tests, naming only the fields a test cares about. */
public final class TestKeys {
    private String secret = "sk-test-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + Long.toHexString(ThreadLocalRandom.current().nextLong());
    private String alias;
    private double spend;
    private Double maxBudget;
    private Double softBudget;
    private String budgetDuration;
    private Instant budgetResetAt;
    private final Map<String, VirtualKey.ModelBudget> modelMaxBudget = new HashMap<>();
    private Long rpm;
    private Long tpm;
    private Long parallel;
    private final Map<String, Long> modelRpm = new HashMap<>();
    private final Map<String, Long> modelTpm = new HashMap<>();
    private boolean blocked;
    private List<String> models = List.of();

    private static final Map<String, String> SECRETS = new java.util.concurrent.ConcurrentHashMap<>();

    /** The secret of a key built here (tests present it to a gateway). */
    public static String secretOf(VirtualKey k) {
        return SECRETS.get(k.tokenHash());
    }

    public static TestKeys key() {
        return new TestKeys();
    }

    public TestKeys secret(String s) { this.secret = s; return this; }
    public TestKeys alias(String a) { this.alias = a; return this; }
    public TestKeys spend(double s) { this.spend = s; return this; }
    public TestKeys maxBudget(double b) { this.maxBudget = b; return this; }
    public TestKeys softBudget(double b) { this.softBudget = b; return this; }
    public TestKeys budgetDuration(String d, Instant resetAt) { this.budgetDuration = d; this.budgetResetAt = resetAt; return this; }
    public TestKeys modelBudget(String model, double limit, String period) { modelMaxBudget.put(model, new VirtualKey.ModelBudget(limit, period)); return this; }
    public TestKeys rpm(long l) { this.rpm = l; return this; }
    public TestKeys tpm(long l) { this.tpm = l; return this; }
    public TestKeys parallel(long l) { this.parallel = l; return this; }
    public TestKeys modelRpm(String model, long l) { modelRpm.put(model, l); return this; }
    public TestKeys modelTpm(String model, long l) { modelTpm.put(model, l); return this; }
    public TestKeys blocked(boolean b) { this.blocked = b; return this; }
    public TestKeys models(String... m) { this.models = List.of(m); return this; }

    public String secret() {
        return secret;
    }

    public VirtualKey build() {
        Instant now = Instant.now();
        String hash = Authenticator.hash(secret);
        SECRETS.put(hash, secret);
        return new VirtualKey(hash, "sk-..." + secret.substring(secret.length() - 4), alias, spend, maxBudget, softBudget,
                budgetDuration, budgetResetAt, models, Map.copyOf(modelMaxBudget), rpm, tpm, parallel,
                Map.copyOf(modelRpm), Map.copyOf(modelTpm), null, Json.object(), null, null, blocked, Map.of(), List.of(),
                "default", now, now, "test", null, null);
    }

    /** The same key with another stored spend and window (what a registry reload would bring). */
    public static VirtualKey withStored(VirtualKey k, double spend, Instant budgetResetAt) {
        return new VirtualKey(k.tokenHash(), k.keyName(), k.keyAlias(), spend, k.maxBudget(), k.softBudget(), k.budgetDuration(),
                budgetResetAt, k.models(), k.modelMaxBudget(), k.rpmLimit(), k.tpmLimit(), k.maxParallelRequests(),
                k.modelRpmLimit(), k.modelTpmLimit(), k.expiresAt(), k.metadata(), k.userId(), k.teamId(), k.blocked(),
                k.aliases(), k.allowedRoutes(), k.keyType(), k.createdAt(), k.updatedAt(), k.createdBy(), k.organizationId(), k.budgetId());
    }

    public static VirtualKey blockedCopy(VirtualKey k, Instant now) {
        return new VirtualKey(k.tokenHash(), k.keyName(), k.keyAlias(), k.spend(), k.maxBudget(), k.softBudget(), k.budgetDuration(),
                k.budgetResetAt(), k.models(), k.modelMaxBudget(), k.rpmLimit(), k.tpmLimit(), k.maxParallelRequests(),
                k.modelRpmLimit(), k.modelTpmLimit(), k.expiresAt(), k.metadata(), k.userId(), k.teamId(), true,
                k.aliases(), k.allowedRoutes(), k.keyType(), k.createdAt(), now, k.createdBy(), k.organizationId(), k.budgetId());
    }

    /** A deployment of {@code model} with optional rpm/tpm in litellm_params. */
    public static Deployment deployment(String id, String model, Long rpm, Long tpm) {
        var params = Json.object().put("model", "mock/" + model);
        if (rpm != null) params.put("rpm", rpm);
        if (tpm != null) params.put("tpm", tpm);
        return new Deployment(id, model, "mock", model, null, null, null, Deployment.DEFAULT_TIMEOUT, Deployment.DEFAULT_TIMEOUT,
                1, 0, params, Json.object(), true);
    }
}
