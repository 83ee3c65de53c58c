package dev.aigateway.provider.vertex;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.provider.ChunkSink;
import dev.aigateway.provider.ProviderRequest;
import dev.aigateway.provider.http.ErrorMapper;
import dev.aigateway.provider.http.HttpCall;
import dev.aigateway.provider.http.StreamDecoder;
import dev.aigateway.provider.http.Upstream;
import dev.aigateway.provider.http.UpstreamResponse;
import dev.aigateway.provider.http.WireEndpoint;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Calls to a model on Vertex AI with the credentials' bearer token. A 401 means Google no longer takes the token
 * (revoked, or expired early): the token is dropped, one new one fetched, and the call sent once more. A refused
 * attempt wrote nothing to a stream's sink, so a stream retries as safely as a plain call.
 */
final class VertexCalls {
    /** Claude on Vertex: the Messages body names this version instead of a header, and no model (the URL does). */
    static final String ANTHROPIC_VERSION = "vertex-2023-10-16";

    private final Upstream upstream;
    private final VertexAuth auth;
    private final VertexEnvironment env;

    VertexCalls(Upstream upstream, VertexAuth auth, VertexEnvironment env) {
        this.upstream = upstream;
        this.auth = auth;
        this.env = env;
    }

    Upstream upstream() {
        return upstream;
    }

    /** One attempt, given where and with which {@code Authorization}. */
    @FunctionalInterface
    interface Attempt<T> {
        Future<T> run(VertexTarget target, String authorization, ErrorMapper errors);
    }

    <T> Future<T> authorized(ProviderRequest request, ErrorMapper vendor, Attempt<T> attempt) {
        Deployment d = request.deployment();
        return auth.session(d).compose(s -> {
            VertexTarget t;
            try {
                t = VertexTarget.of(d, env, s.projectId());
            } catch (GatewayException e) {
                return Future.failedFuture(e);
            }
            return once(s, t, VertexErrors.of(t, d.model(), vendor), attempt, true);
        });
    }

    private <T> Future<T> once(VertexAuth.Session s, VertexTarget t, ErrorMapper errors, Attempt<T> attempt, boolean mayRetry) {
        return s.tokens().token().compose(token -> {
            AtomicBoolean unauthenticated = new AtomicBoolean();
            ErrorMapper watched = (status, headers, body) -> {
                if (status == 401) unauthenticated.set(true);
                return errors.map(status, headers, body);
            };
            return attempt.run(t, "Bearer " + token.value(), watched).recover(e -> {
                if (!mayRetry || !unauthenticated.get()) return Future.failedFuture(e);
                s.tokens().refused(token);
                return once(s, t, errors, attempt, false);
            });
        });
    }

    /** A POST of {@code body} to {@code url} with the token; {@code headers} are the vendor's protocol headers. */
    static HttpCall call(String url, Buffer body, MultiMap headers, String authorization) {
        HttpCall call = HttpCall.postJson(url, body);
        call.headers().addAll(headers);
        return call.header("authorization", authorization);
    }

    /** Gemini's calls: {@code {model}:{method}}, streams with {@code ?alt=sse}. */
    WireEndpoint gemini() {
        return new WireEndpoint() {
            @Override
            public Future<UpstreamResponse> send(ProviderRequest request, String method, ObjectNode body, MultiMap headers, ErrorMapper errors) {
                Buffer buf = Json.toBuffer(body);
                return authorized(request, errors, (t, authz, e) -> upstream.send(call(t.url(method), buf, headers, authz), request, e));
            }

            @Override
            public Future<Void> stream(ProviderRequest request, String method, ObjectNode body, MultiMap headers, ErrorMapper errors,
                                       StreamDecoder decoder, ChunkSink sink) {
                Buffer buf = Json.toBuffer(body);
                return authorized(request, errors, (t, authz, e) -> upstream.stream(call(t.url(method + "?alt=sse"), buf, headers, authz)
                        .header("accept", "text/event-stream"), request, e, decoder, sink));
            }
        };
    }

    /** Claude's Messages calls: {@code :rawPredict}, streams {@code :streamRawPredict}, the body in Vertex's variant. */
    WireEndpoint anthropic() {
        return new WireEndpoint() {
            @Override
            public Future<UpstreamResponse> send(ProviderRequest request, String method, ObjectNode body, MultiMap headers, ErrorMapper errors) {
                Buffer buf = Json.toBuffer(vertexBody(body));
                MultiMap h = vertexHeaders(headers);
                return authorized(request, errors, (t, authz, e) -> upstream.send(call(t.url("rawPredict"), buf, h, authz), request, e));
            }

            @Override
            public Future<Void> stream(ProviderRequest request, String method, ObjectNode body, MultiMap headers, ErrorMapper errors,
                                       StreamDecoder decoder, ChunkSink sink) {
                Buffer buf = Json.toBuffer(vertexBody(body));
                MultiMap h = vertexHeaders(headers);
                return authorized(request, errors, (t, authz, e) -> upstream.stream(call(t.url("streamRawPredict"), buf, h, authz)
                        .header("accept", "text/event-stream"), request, e, decoder, sink));
            }
        };
    }

    /** A copy: the translated or client's body may be reused by a retry elsewhere. */
    static ObjectNode vertexBody(ObjectNode messagesBody) {
        ObjectNode out = Json.object();
        out.put("anthropic_version", ANTHROPIC_VERSION);
        messagesBody.properties().forEach(f -> {
            if (!f.getKey().equals("model") && !f.getKey().equals("anthropic_version")) out.set(f.getKey(), f.getValue());
        });
        return out;
    }

    /** anthropic-beta travels as a header on Vertex too; the version is in the body. */
    private static MultiMap vertexHeaders(MultiMap headers) {
        MultiMap h = MultiMap.caseInsensitiveMultiMap().addAll(headers);
        h.remove("anthropic-version");
        return h;
    }
}
