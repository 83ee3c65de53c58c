package dev.aigateway.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.governance.keys.VirtualKey;
import dev.aigateway.governance.limits.Admission;
import dev.aigateway.logging.AccessLine;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.UnaryOperator;

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
        HttpServerResponse r = ctx.response();
        r.putHeader("x-request-id", ctx.traceId());
        // A client that sent its own id learns the gateway's too: the request_id of its spend row.
        if (ctx.clientRequestId() != null) r.putHeader("x-gateway-request-id", ctx.requestId());
        String overhead = millis(ctx.fixOverheadMillis());
        r.putHeader("x-gateway-overhead-duration-ms", overhead);
        if (ctx.callType() != null) litellmHeaders(ctx, r, overhead);
        if (ctx.deployment() != null) putSafely(r, "x-gateway-model-id", ctx.deployment().id());
        if (ctx.trace().attempts() > 0) r.putHeader("x-gateway-attempts", Integer.toString(ctx.trace().attempts()));
        if (ctx.trace().fallbackGroup() != null) putSafely(r, "x-gateway-fallback", ctx.trace().fallbackGroup());
        Admission a = ctx.admission();
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

    /**
     * The {@code x-litellm-*} headers LiteLLM's clients read, on the answers of LLM routes: from what the request
     * already holds (no lookup). The deployment's {@code api_base} is named without user info or query string, where
     * credentials are written. What the answer cost is known when a non-streamed answer goes out (its charge is fixed
     * first); a stream's head goes out before, so it carries none, and the key's spend without it.
     */
    private static void litellmHeaders(RequestContext ctx, HttpServerResponse r, String overhead) {
        r.putHeader("x-litellm-call-id", ctx.requestId());
        r.putHeader("x-litellm-overhead-duration-ms", overhead);
        Deployment d = ctx.deployment();
        if (d != null) {
            putSafely(r, "x-litellm-model-id", d.id());
            String base = d.apiBaseWithoutCredentials();
            if (base != null) putSafely(r, "x-litellm-model-api-base", base);
        }
        RoutingFields routing = ctx.routing();
        if (routing != null) {
            r.putHeader("x-litellm-attempted-retries", Integer.toString(ctx.trace().retries()));
            r.putHeader("x-litellm-max-retries", Integer.toString(routing.numRetries()));
            r.putHeader("x-litellm-attempted-fallbacks", Integer.toString(ctx.trace().fallbacks()));
            if (d != null) r.putHeader("x-litellm-timeout", seconds(routing.timeoutOn(d)));
        }
        RequestAccounting.Charge charge = ctx.charge;
        double cost = charge == null ? 0 : charge.costUsd();
        if (charge != null) r.putHeader("x-litellm-response-cost", Double.toString(cost));
        VirtualKey key = ctx.principal() == null ? null : ctx.principal().key();
        if (key != null) r.putHeader("x-litellm-key-spend", Double.toString(key.spend() + cost));
    }

    /** Seconds as LiteLLM prints a timeout: whole seconds without decimals, else the decimal number. */
    static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? Long.toString(ms / 1000) : Double.toString(ms / 1000.0);
    }

    public static void json(RequestContext ctx, int status, ObjectNode body) {
        send(ctx, status, "application/json", Json.toBuffer(body));
    }

    /** Sends an answer; the request's admission is settled first (see {@link RequestContext#settleThen}). */
    public static void send(RequestContext ctx, int status, String contentType, Buffer body) {
        HttpServerResponse r = ctx.response();
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
        error(ctx, t, ErrorShape.OPENAI);
    }

    /** An error with a body shape chosen by the route (e.g. Anthropic's for /v1/messages). */
    public static void error(RequestContext ctx, Throwable t, ErrorShape shape) {
        GatewayException e = asGatewayException(ctx, t);
        int status = shape.status(e);
        HttpServerResponse r = ctx.response();
        if (r.headWritten() || r.ended()) {
            ctx.finish(status, e.type());
            return;
        }
        ctx.settleThen(() -> {
            if (r.headWritten() || r.ended()) return; // answered meanwhile
            if (r.closed()) {
                ctx.finish(499, "client_closed_request");
                return;
            }
            try {
                e.headers().forEach((name, value) -> putSafely(r, name, value));
                gatewayHeaders(ctx);
                r.setStatusCode(status).putHeader("content-type", "application/json");
                r.end(Json.toBuffer(shape.body(e)));
                ctx.finish(status, e.type());
            } catch (RuntimeException writeFailed) {
                // The last answer this request can get: without it the client would wait until it gives up.
                LOG.error("Could not write the error answer of request {}", ctx.requestId(), writeFailed);
                if (r.headWritten() || r.ended()) return;
                r.headers().clear();
                r.setStatusCode(500).putHeader("x-request-id", ctx.requestId()).putHeader("content-type", "application/json");
                r.end(Json.toBuffer(GatewayException.serverError("The gateway could not write its answer to request " + ctx.requestId()
                        + "; it has been logged.").toJson()));
                ctx.finish(500, "server_error");
            }
        });
    }

    public static GatewayException asGatewayException(RequestContext ctx, Throwable t) {
        if (t instanceof GatewayException g) return g;
        LOG.error("Unexpected error in request {} (x-request-id {})", ctx.requestId(), ctx.traceId(), t);
        return GatewayException.serverError("The gateway hit an internal error handling this request (request id "
                + ctx.requestId() + "); it has been logged.");
    }

    /**
     * A header whose value comes from configuration or a provider (deployment ids, model names, Retry-After): left out
     * when it is not a valid header value (control characters). Vert.x refuses such a value with an exception, and an exception while the
     * error answer is being written would leave the client waiting for an answer that never comes. Ids and names are
     * validated when they are loaded; this is the backstop, a few character comparisons per answer.
     */
    static void putSafely(HttpServerResponse r, String name, String value) {
        if (isHeaderValue(value)) r.putHeader(name, value);
        else LOG.warn("Header {} left out of an answer: its value contains control characters.", name);
    }

    /** A header of the answer to come (e.g. an upstream's, passed on), checked as {@link #putSafely}; none once the head is out. */
    public static void header(RequestContext ctx, String name, String value) {
        if (!ctx.response().headWritten()) putSafely(ctx.response(), name, value);
    }

    /** No control characters but tabs: the values Vert.x accepts (a line break would split the header). */
    static boolean isHeaderValue(String v) {
        if (v == null) return false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7F) return false;
        }
        return true;
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

    /**
     * One line per request: id, caller, model, status, latency. Never a key or a body, and of the path only what
     * {@code loggedPath} keeps (the route's own words: a key in a path is not one of them).
     */
    static void log(RequestContext ctx, int status, UnaryOperator<String> loggedPath) {
        if (!ACCESS.isInfoEnabled()) return;
        // One argument carrying the fields: the text layout prints it as a line, the JSON encoder as properties.
        ACCESS.info("{}", new AccessLine(ctx.traceId(), ctx.request().method().name(), loggedPath.apply(ctx.request().path()),
                ctx.principal() == null ? null : ctx.principal().alias(), ctx.modelName(),
                ctx.deployment() == null ? null : ctx.deployment().id(), status, ctx.elapsedMillis(), ctx.reportedOverheadMillis()));
    }
}
