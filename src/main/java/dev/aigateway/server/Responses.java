package dev.aigateway.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.error.GatewayException;
import dev.aigateway.governance.limits.Admission;
import dev.aigateway.json.Json;
import dev.aigateway.logging.AccessLine;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Function;

/**
 * Writes answers: JSON bodies with the gateway's headers, and errors in OpenAI's shape. An exception
 * that is not a {@link GatewayException} is a gateway bug: it is logged with the request id and the
 * client gets a 500 {@code server_error} naming that id, never a stack trace.
 */
public final class Responses {
    private static final Logger LOG = LoggerFactory.getLogger(Responses.class);
    private static final Logger ACCESS = LoggerFactory.getLogger("access");

    /** The output limit a budget imposed on a request that set none (docs/limits.md). */
    public static final String MAX_TOKENS_CAPPED = "x-gateway-max-tokens-capped";

    private Responses() {}

    /** The headers every answer carries; call before the first byte is written. */
    public static void gatewayHeaders(RequestContext ctx) {
        HttpServerResponse r = ctx.response;
        r.putHeader("x-request-id", ctx.requestId);
        r.putHeader("x-gateway-overhead-duration-ms", millis(ctx.fixOverheadMillis()));
        if (ctx.deployment != null) r.putHeader("x-gateway-model-id", ctx.deployment.id());
        if (ctx.trace.attempts() > 0) r.putHeader("x-gateway-attempts", Integer.toString(ctx.trace.attempts()));
        if (ctx.trace.fallbackGroup() != null) r.putHeader("x-gateway-fallback", ctx.trace.fallbackGroup());
        Admission a = ctx.admission;
        if (a != null) {
            if (a.limitRequests() != null) {
                r.putHeader("x-ratelimit-limit-requests", a.limitRequests().toString());
                r.putHeader("x-ratelimit-remaining-requests", String.valueOf(Math.max(0, a.remainingRequests())));
            }
            if (a.limitTokens() != null) {
                r.putHeader("x-ratelimit-limit-tokens", a.limitTokens().toString());
                r.putHeader("x-ratelimit-remaining-tokens", String.valueOf(Math.max(0, a.remainingTokens())));
            }
            Long capped = a.cappedTokens();
            if (capped != null) r.putHeader(MAX_TOKENS_CAPPED, capped.toString());
        }
    }

    public static void json(RequestContext ctx, int status, ObjectNode body) {
        send(ctx, status, "application/json", Json.toBuffer(body));
    }

    /** Sends an answer; the request's admission is settled first (see {@link RequestContext#settleThen}). */
    public static void send(RequestContext ctx, int status, String contentType, Buffer body) {
        HttpServerResponse r = ctx.response;
        if (r.headWritten() || r.ended()) return;
        ctx.settleThen(() -> {
            if (r.headWritten() || r.ended()) return; // answered meanwhile
            if (r.closed()) { // the client left while the upstream answered: what it cost is booked all the same
                ctx.finish(499, "client_closed_request");
                return;
            }
            gatewayHeaders(ctx);
            r.setStatusCode(status).putHeader("content-type", contentType);
            r.end(body);
            ctx.finish(status, null);
        });
    }

    public static void error(RequestContext ctx, Throwable t) {
        error(ctx, t, GatewayException::toJson);
    }

    /** An error with a body shape chosen by the route (e.g. Anthropic's for /v1/messages). */
    public static void error(RequestContext ctx, Throwable t, Function<GatewayException, ObjectNode> shape) {
        GatewayException e = asGatewayException(ctx, t);
        HttpServerResponse r = ctx.response;
        if (r.headWritten() || r.ended()) {
            ctx.finish(e.status(), e.type());
            return;
        }
        ctx.settleThen(() -> {
            if (r.headWritten() || r.ended()) return; // answered meanwhile
            if (r.closed()) {
                ctx.finish(499, "client_closed_request");
                return;
            }
            e.headers().forEach(r::putHeader);
            gatewayHeaders(ctx);
            r.setStatusCode(e.status()).putHeader("content-type", "application/json");
            r.end(Json.toBuffer(shape.apply(e)));
            ctx.finish(e.status(), e.type());
        });
    }

    public static GatewayException asGatewayException(RequestContext ctx, Throwable t) {
        if (t instanceof GatewayException g) return g;
        LOG.error("Unexpected error in request {}", ctx.requestId, t);
        return GatewayException.serverError("The gateway hit an internal error handling this request (request id "
                + ctx.requestId + "); it has been logged.");
    }

    /**
     * Milliseconds with three decimals (microseconds). Cheaper than String.format, which costs a few
     * microseconds per call and runs on every response.
     */
    static String millis(double ms) {
        long micros = Math.round(ms * 1000);
        long whole = micros / 1000;
        long frac = micros % 1000;
        return whole + (frac < 10 ? ".00" : frac < 100 ? ".0" : ".") + frac;
    }

    /** One line per request: id, caller, model, status, latency. Never a key or a body. */
    static void log(RequestContext ctx, int status) {
        if (!ACCESS.isInfoEnabled()) return;
        // One argument carrying the fields: the text layout prints it as a line, the JSON encoder as properties.
        ACCESS.info("{}", new AccessLine(ctx.requestId, ctx.request.method().name(), ctx.request.path(),
                ctx.principal == null ? null : ctx.principal.alias(), ctx.modelName,
                ctx.deployment == null ? null : ctx.deployment.id(), status, ctx.elapsedMillis(), ctx.reportedOverheadMillis()));
    }
}
