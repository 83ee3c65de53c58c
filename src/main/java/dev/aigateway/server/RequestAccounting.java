package dev.aigateway.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.governance.Governance;
import dev.aigateway.governance.Principal;
import dev.aigateway.governance.limits.Check;
import dev.aigateway.governance.limits.Holder;
import dev.aigateway.governance.limits.Settlement;
import dev.aigateway.governance.spend.Money;
import dev.aigateway.governance.spend.Pricing;
import dev.aigateway.governance.spend.SpendRecord;
import dev.aigateway.router.Router;
import dev.aigateway.server.metrics.GatewayMetrics;
import dev.aigateway.server.origin.RequestOrigin;
import io.vertx.core.Future;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What happens when a request ends, however it ended, in two steps:
 * <ol>
 *   <li>{@link #settle}, before the answer's last bytes go out ({@link RequestContext#settleThen}), or at the end when
 *       no answer goes out: what the request cost ({@link Charge}) is fixed and the limiter is settled (parallel slot
 *       and reservation released, cost and tokens booked);</li>
 *   <li>{@link #finish}: metrics, a spend row queued, the access-log line.</li>
 * </ol>
 * The cost comes from the usage the provider reported. A stream that ended without it (the client left before
 * the usage chunk, the upstream broke) is charged an estimate: its prompt and the tokens streamed so far
 * ({@link StreamMeter}), never more than its reservation. A stream whose client left after its answers is settled
 * at once with that estimate (its hold must not outlive what the client received) and corrected
 * ({@code Limiter.adjust}) if the provider's usage still comes. Nothing here blocks.
 */
final class RequestAccounting {
    private final Governance governance;
    private final Router router;
    private final GatewayMetrics metrics;
    /** Until a route table says better, no segment of a path is logged. */
    private UnaryOperator<String> loggedPath = path -> "/*";

    RequestAccounting(Governance governance, Router router, GatewayMetrics metrics) {
        this.governance = governance;
        this.router = router;
        this.metrics = metrics;
    }

    /** An LLM request began (the metrics' in-flight count). */
    void started() {
        metrics.requestStarted();
    }

    void pathsForLog(UnaryOperator<String> loggedPath) {
        this.loggedPath = loggedPath;
    }

    /**
     * What a request cost and used.
     *
     * @param estimated whether the figures are the gateway's estimate (no usage from the provider)
     */
    record Charge(long promptTokens, long completionTokens, long cachedTokens, long totalTokens, double costUsd, long costNanos,
                  boolean estimated) {
        static final Charge NONE = new Charge(0, 0, 0, 0, 0, 0, false);
    }

    /** Fixes the request's charge and settles the limiter, once; the future completes when the settlement is applied. */
    Future<Void> settle(RequestContext ctx) {
        if (ctx.charge != null) return Future.succeededFuture();
        Charge c = ctx.callType() == null ? Charge.NONE : charge(ctx);
        ctx.charge = c;
        if (ctx.admission() == null) return Future.succeededFuture();
        return governance.limiter().settle(ctx.admission(), new Settlement(c.costNanos(), c.totalTokens()));
    }

    private Charge charge(RequestContext ctx) {
        Deployment d = ctx.deployment();
        JsonNode usage = ctx.usage();
        boolean estimated = false;
        if (usage == null && ctx.meter != null && ctx.meter.sawChunk()) {
            usage = ctx.meter.estimatedUsage();
            estimated = true;
        }
        if (usage == null) return Charge.NONE;
        double usd = d == null ? 0 : Pricing.cost(usage, governance.pricing().priceOf(d));
        long nanos = Money.nanos(usd);
        // an estimate never exceeds what the request reserved: the provider cannot have produced more than that
        if (estimated && ctx.admission() != null && ctx.admission().reservedNanos() > 0 && nanos > ctx.admission().reservedNanos()) {
            nanos = ctx.admission().reservedNanos();
            usd = Money.usd(nanos);
        }
        long prompt = usage.path("prompt_tokens").asLong(0);
        long completion = usage.path("completion_tokens").asLong(0);
        return new Charge(prompt, completion, usage.path("prompt_tokens_details").path("cached_tokens").asLong(0),
                usage.path("total_tokens").asLong(prompt + completion), usd, nanos, estimated);
    }

    void finish(RequestContext ctx) {
        Responses.log(ctx, ctx.status(), loggedPath);
        if (ctx.callType() == null) return; // not an LLM route
        settle(ctx); // no answer went out (or it did not wait): settle now
        Charge c = ctx.charge;
        if (c.estimated() && ctx.usage() != null) { // settled early with an estimate; the provider's usage came after
            Charge real = charge(ctx);
            if (ctx.admission() != null) {
                governance.limiter().adjust(ctx.admission(), new Settlement(real.costNanos() - c.costNanos(), real.totalTokens() - c.totalTokens()));
            }
            ctx.charge = c = real;
        }
        Deployment d = ctx.deployment();
        double cost = c.costUsd();
        metrics.requestFinished(ctx, c.promptTokens(), c.completionTokens(), c.totalTokens(), cost);
        router.countTokens(d, c.totalTokens());
        if (ctx.streaming() && d != null && ctx.trace().attempts() > 0 && ctx.streamStarted()) router.stats(d).streamEnded();
        if (ctx.principal() == null) return; // refused before we knew who called: nothing to bill
        Principal p = ctx.principal();
        RequestOrigin o = ctx.origin();
        boolean ok = ctx.status() == 200;
        governance.spendLog().record(new SpendRecord(
                ctx.requestId(), ctx.clientRequestId(), p.keyHash(), p.alias(),
                p.key() == null ? null : p.key().userId(), p.key() == null ? null : p.key().teamId(),
                ctx.callType(), ctx.modelName(),
                d == null ? null : d.id(), d == null ? null : d.provider(), d == null ? null : d.model(),
                c.promptTokens(), c.completionTokens(), c.cachedTokens(), c.totalTokens(),
                cost, ctx.startMillis(), System.currentTimeMillis(), ctx.timeToFirstTokenMillis(),
                ok ? "success" : "failure", ctx.status(), ctx.errorType(), ctx.streaming(),
                Math.max(1, ctx.trace().attempts()), ctx.trace().fallbackGroup(),
                o.endUser(), o.sessionId(), o.client(), o.userAgent(), organizationOf(ctx.holders)));
    }

    private static String organizationOf(List<Holder> holders) {
        if (holders != null) {
            for (Holder h : holders) if (h.level() == Check.Level.ORGANIZATION) return h.id();
        }
        return null;
    }
}
