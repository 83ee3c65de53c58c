package dev.aigateway.router;

import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.pricing.ModelPrice;
import dev.aigateway.router.strategy.CostBased;
import dev.aigateway.router.strategy.LatencyBased;
import dev.aigateway.router.strategy.LeastBusy;
import dev.aigateway.router.strategy.RoutingStrategy;
import dev.aigateway.router.strategy.SimpleShuffle;
import dev.aigateway.router.strategy.UsageBased;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Picks the deployment that serves an attempt. The algorithm, for a model group:
 * <ol>
 *   <li>resolve {@code model_group_alias};</li>
 *   <li>with {@code enable_pre_call_checks}, drop deployments whose context window is smaller than the
 *       prompt (none left: a context-window error, which context_window_fallbacks can catch);</li>
 *   <li>walk the {@code order} tiers, lowest first; in a tier keep the deployments that are healthy, not
 *       cooling down and not yet tried by this request, and let the routing strategy choose (or, for a request that
 *       names its session, {@link SessionAffinity}: the session's own deployment);</li>
 *   <li>if every tier is exhausted that way, allow deployments already tried (a retry on the same one);</li>
 *   <li>if everything is cooling down or unhealthy: 503 {@value #NO_HEALTHY_DEPLOYMENT}, with Retry-After at the end of
 *       the earliest cooldown ({@link Failover} then tries the group's fallbacks).</li>
 * </ol>
 */
public final class Router {
    /** The error code of a pick that found every deployment of the group cooling down or unhealthy. */
    public static final String NO_HEALTHY_DEPLOYMENT = GatewayException.NO_HEALTHY_DEPLOYMENT;

    private volatile ModelCatalog catalog;
    private final RouterSettings settings;
    private final RoutingStrategy strategy;
    private final Function<Deployment, ModelPrice> prices;
    private final Clock clock;
    private final Map<String, DeploymentStats> stats = new ConcurrentHashMap<>();
    private volatile java.util.function.BiConsumer<String, Long> cooldownListener = (id, until) -> {};
    private volatile DeploymentEvents events = DeploymentEvents.NONE;

    public Router(ModelCatalog catalog, RouterSettings settings, Function<Deployment, ModelPrice> prices, Clock clock) {
        this.catalog = catalog;
        this.settings = settings;
        this.prices = prices;
        this.clock = clock;
        this.strategy = switch (settings.strategy()) {
            case SIMPLE_SHUFFLE -> new SimpleShuffle();
            case LEAST_BUSY -> new LeastBusy();
            case LATENCY_BASED -> new LatencyBased(settings.lowestLatencyBuffer());
            case USAGE_BASED -> new UsageBased();
            case COST_BASED -> new CostBased(prices);
        };
    }

    public ModelCatalog catalog() {
        return catalog;
    }

    public RouterSettings settings() {
        return settings;
    }

    /** Swaps in a new set of deployments (runtime model changes). */
    public void update(ModelCatalog next) {
        this.catalog = next;
    }

    public DeploymentStats stats(Deployment d) {
        return stats.computeIfAbsent(d.id(), id -> new DeploymentStats());
    }

    /** The model group a name refers to (model_group_alias applied). */
    public String resolve(String modelName) {
        return settings.modelGroupAlias().getOrDefault(modelName, modelName);
    }

    /**
     * The configured fallbacks of a group: those named for it, else, for a name a wildcard entry serves, those named
     * for the entry's pattern ({@code fallbacks: [{"claude-*": ["gpt-4o"]}]}), else the defaults.
     */
    public List<String> fallbacksFor(String group, ErrorKind kind) {
        if (!settings.namesFallbacksFor(group)) {
            String pattern = catalog.patternFor(group);
            if (pattern != null && settings.namesFallbacksFor(pattern)) return settings.fallbacksFor(pattern, kind);
        }
        return settings.fallbacksFor(group, kind);
    }

    public boolean serves(String modelName) {
        return catalog.contains(resolve(modelName));
    }

    /** A deployment for a first attempt. */
    public Deployment pick(String modelName) {
        return pick(modelName, Set.of(), -1);
    }

    /**
     * @param tried        deployment ids this request already tried (avoided while others remain)
     * @param promptTokens the prompt's size for pre-call checks, or -1 when not counted
     */
    public Deployment pick(String modelName, Set<String> tried, long promptTokens) {
        return pick(modelName, tried, Set.of(), promptTokens);
    }

    /**
     * The same, never choosing a deployment in {@code excluded} (admission refused it for this request); null when
     * only excluded ones are left.
     */
    public Deployment pick(String modelName, Set<String> tried, Set<String> excluded, long promptTokens) {
        return pick(modelName, tried, excluded, promptTokens, SessionAffinity.NONE);
    }

    /**
     * The same, keeping the session {@code affinity} names on its deployment while that one can serve it
     * ({@link SessionAffinity}; {@link SessionAffinity#NONE}: the routing strategy chooses).
     */
    public Deployment pick(String modelName, Set<String> tried, Set<String> excluded, long promptTokens, long affinity) {
        String group = resolve(modelName);
        List<Deployment> all = catalog.deployments(group);
        if (all.isEmpty()) throw GatewayException.modelNotFound(modelName);
        List<Deployment> fitting = fitting(group, all, promptTokens);
        if (!excluded.isEmpty()) {
            fitting = new ArrayList<>(fitting);
            fitting.removeIf(d -> excluded.contains(d.id()));
            if (fitting.isEmpty()) return null;
        }
        long now = clock.millis();
        Deployment d = choose(fitting, tried, now, true, affinity);
        if (d == null) d = choose(fitting, tried, now, false, affinity);
        if (d != null) return d;
        long until = Long.MAX_VALUE;
        for (Deployment x : fitting) until = Math.min(until, Math.max(stats(x).cooldownUntilMillis(), now + 1000));
        long retryAfter = Math.max(1, (until - now + 999) / 1000);
        return throwUnavailable(group, fitting.size(), retryAfter);
    }

    private Deployment throwUnavailable(String group, int n, long retryAfterSeconds) {
        throw GatewayException.noHealthyDeployment(
                "No healthy deployment for model `" + group + "`: all " + n + " are cooling down after failures or failed "
                        + "their health check. Retry in " + retryAfterSeconds + " s.", retryAfterSeconds);
    }

    private List<Deployment> fitting(String group, List<Deployment> all, long promptTokens) {
        if (!settings.preCallChecks() || promptTokens < 0) return all;
        List<Deployment> out = new ArrayList<>(all.size());
        for (Deployment d : all) {
            Long max = maxInputTokens(d);
            if (max == null || promptTokens <= max) out.add(d);
        }
        if (out.isEmpty()) {
            throw GatewayException.contextLengthExceeded("The prompt has about " + promptTokens + " tokens, more than any deployment of `"
                    + group + "` accepts (enable_pre_call_checks).");
        }
        return out;
    }

    public Long maxInputTokens(Deployment d) {
        Long fromInfo = d.longParam("max_input_tokens");
        return fromInfo != null ? fromInfo : prices.apply(d).maxInputTokens();
    }

    private Deployment choose(List<Deployment> deployments, Set<String> tried, long now, boolean untriedOnly, long affinity) {
        int tier = Integer.MIN_VALUE;
        while (true) {
            int next = Integer.MAX_VALUE;
            for (Deployment d : deployments) if (d.order() > tier && d.order() < next) next = d.order();
            if (next == Integer.MAX_VALUE) return null;
            tier = next;
            List<Deployment> available = new ArrayList<>();
            for (Deployment d : deployments) {
                if (d.order() != tier) continue;
                DeploymentStats s = stats(d);
                if (s.coolingDown(now) || s.healthError() != null) continue;
                if (untriedOnly && tried.contains(d.id())) continue;
                available.add(d);
            }
            if (available.isEmpty()) continue;
            return affinity != SessionAffinity.NONE ? SessionAffinity.choose(available, affinity) : strategy.choose(available, this::stats, now);
        }
    }

    /**
     * Deployment {@code id} of {@code modelName}'s group when it can take a request now (not cooling down, healthy), else
     * null: for a request that should go back where its conversation is held.
     */
    public Deployment available(String modelName, String id) {
        long now = clock.millis();
        for (Deployment d : catalog.deployments(resolve(modelName))) {
            if (!d.id().equals(id)) continue;
            DeploymentStats s = stats(d);
            return s.coolingDown(now) || s.healthError() != null ? null : d;
        }
        return null;
    }

    /** Whether another deployment of the group could take a retry right away (so no backoff is needed). */
    boolean hasUntried(String modelName, Set<String> tried) {
        long now = clock.millis();
        for (Deployment d : catalog.deployments(resolve(modelName))) {
            DeploymentStats s = stats(d);
            if (!tried.contains(d.id()) && !s.coolingDown(now) && s.healthError() == null) return true;
        }
        return false;
    }

    /** Books an attempt's outcome: latency for latency-based routing, failures towards a cooldown. */
    void recordSuccess(Deployment d, double latencyMs, boolean stream) {
        stats(d).recordLatency(latencyMs, stream);
    }

    /** Returns true when this failure put the deployment into cooldown (and tells the other instances). */
    boolean recordFailure(Deployment d, ErrorKind kind) {
        return recordFailure(d, kind, null, 0);
    }

    /** The same, telling {@link DeploymentEvents} (metrics) about the failure and any cooldown it caused. */
    boolean recordFailure(Deployment d, ErrorKind kind, String group, int status) {
        events.attemptFailed(d, group, status);
        if (!kind.countsAgainstDeployment()) return false;
        boolean cooled = stats(d).recordFailure(clock.millis(), settings.allowedFails(), settings.cooldownTime().toMillis());
        if (cooled) {
            cooldownListener.accept(d.id(), stats(d).cooldownUntilMillis());
            events.cooledDown(d, status);
        }
        return cooled;
    }

    /** Where cooldowns started here are announced (cluster events); nowhere by default. */
    public void onCooldown(java.util.function.BiConsumer<String, Long> listener) {
        this.cooldownListener = listener;
    }

    /** A cooldown another instance announced. */
    public void applyCooldown(String deploymentId, long untilMillis) {
        stats.computeIfAbsent(deploymentId, id -> new DeploymentStats()).coolDownUntil(untilMillis);
    }

    /** Who hears about failed attempts and cooldowns (the gateway's metrics). */
    public void events(DeploymentEvents listener) {
        this.events = listener == null ? DeploymentEvents.NONE : listener;
    }

    void countRequest(Deployment d) {
        stats(d).countRequest(clock.millis());
    }

    /** Tokens a finished request used, for usage-based routing. */
    public void countTokens(Deployment d, long tokens) {
        if (d != null && tokens > 0) stats(d).countTokens(clock.millis(), tokens);
    }

    Clock clock() {
        return clock;
    }
}
