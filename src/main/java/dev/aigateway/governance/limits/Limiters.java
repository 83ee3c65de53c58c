package dev.aigateway.governance.limits;

import dev.aigateway.cluster.RedisEndpoint;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.concurrent.TimeUnit;

/** Chooses the limiter: local counting for one instance, Redis (with local fallback) when REDIS_URL is set. */
public final class Limiters {
    private static final Logger LOG = LoggerFactory.getLogger(Limiters.class);

    private Limiters() {}

    public static Limiter create(Vertx vertx, Clock clock, RedisEndpoint redis, BudgetResets resets) {
        SoftBudgetWarnings softBudgets = new SoftBudgetWarnings();
        LocalLimiter local = new LocalLimiter(clock, resets, softBudgets);
        if (redis == null) return local;
        LOG.info("Rate limits and budgets are shared with other instances through Redis at {}", redis);
        RedisLimiter shared = new RedisLimiter(Redis.createClient(vertx, redis.options()), redis.prefix(), clock, resets, softBudgets);
        try {
            shared.loadScripts().await(2, TimeUnit.SECONDS); // start-up only: the first requests find a warm connection
        } catch (Exception e) {
            LOG.warn("Redis at {} did not answer at start-up ({}); counting locally until it does.", redis, e.getMessage());
        }
        return new FailoverLimiter(vertx, shared, local);
    }
}
