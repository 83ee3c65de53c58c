package dev.aigateway.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.governance.Governance;
import dev.aigateway.governance.Principal;
import dev.aigateway.governance.limits.Settlement;
import dev.aigateway.governance.spend.Money;
import dev.aigateway.governance.spend.Pricing;
import dev.aigateway.governance.spend.SpendRecord;
import dev.aigateway.metrics.GatewayMetrics;
import dev.aigateway.router.Deployment;
import dev.aigateway.router.Router;

import java.util.function.UnaryOperator;

/**
 * What happens when a request ends, however it ended: its real cost is computed from the usage the
 * provider reported, the limiter is settled (parallel slot and reservation released, cost and tokens
 * booked), a spend row is queued, and the access-log line is written. Nothing here blocks.
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

    void pathsForLog(UnaryOperator<String> loggedPath) {
        this.loggedPath = loggedPath;
    }

    void finish(RequestContext ctx) {
        Responses.log(ctx, ctx.status(), loggedPath);
        if (ctx.callType == null) return; // not an LLM route
        Deployment d = ctx.deployment;
        JsonNode usage = ctx.usage;
        double cost = d == null || usage == null ? 0 : Pricing.cost(usage, governance.pricing().priceOf(d));
        long prompt = usage == null ? 0 : usage.path("prompt_tokens").asLong(0);
        long completion = usage == null ? 0 : usage.path("completion_tokens").asLong(0);
        long total = usage == null ? 0 : usage.path("total_tokens").asLong(prompt + completion);
        metrics.requestFinished(ctx, prompt, completion, total, cost);
        if (ctx.admission != null) governance.limiter().settle(ctx.admission, new Settlement(Money.nanos(cost), total));
        router.countTokens(d, total);
        if (ctx.stream && d != null && ctx.trace.attempts() > 0 && ctx.streamStarted()) router.stats(d).streamEnded();
        if (ctx.principal == null) return; // refused before we knew who called: nothing to bill
        Principal p = ctx.principal;
        boolean ok = ctx.status() == 200;
        governance.spendLog().record(new SpendRecord(
                ctx.requestId, ctx.clientRequestId, p.keyHash(), p.alias(),
                p.key() == null ? null : p.key().userId(), p.key() == null ? null : p.key().teamId(),
                ctx.callType, ctx.modelName,
                d == null ? null : d.id(), d == null ? null : d.provider(), d == null ? null : d.model(),
                prompt, completion,
                usage == null ? 0 : usage.path("prompt_tokens_details").path("cached_tokens").asLong(0), total,
                cost, ctx.startMillis, System.currentTimeMillis(), ctx.timeToFirstTokenMillis(),
                ok ? "success" : "failure", ctx.status(), ctx.errorType(), ctx.stream,
                Math.max(1, ctx.trace.attempts()), ctx.trace.fallbackGroup()));
    }
}
