package dev.aigateway.provider.vertex;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.provider.AnthropicMessagesWire;
import dev.aigateway.provider.ChunkSink;
import dev.aigateway.provider.Provider;
import dev.aigateway.provider.ProviderRequest;
import dev.aigateway.provider.anthropic.AnthropicProvider;
import dev.aigateway.provider.gemini.GeminiProvider;
import dev.aigateway.provider.http.HttpCall;
import dev.aigateway.provider.http.Upstream;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.util.List;

/**
 * Google Cloud's Vertex AI ({@code model: vertex_ai/<model>}, LiteLLM's names and settings): Gemini models through
 * Gemini's translation, Claude models through Anthropic's (and its pass-through for {@code /v1/messages}), Google's
 * text embedding models through {@code :predict}; every call with an OAuth token from the deployment's Google
 * credentials ({@link VertexAuth}), not an API key.
 */
public final class VertexProvider implements Provider, AnthropicMessagesWire {
    public static final String NAME = "vertex_ai";
    private static final MultiMap NO_HEADERS = MultiMap.caseInsensitiveMultiMap();

    private final VertexCalls calls;
    private final GeminiProvider gemini;
    private final AnthropicProvider claude;

    public VertexProvider(Vertx vertx, Upstream upstream, VertexEnvironment env) {
        this.calls = new VertexCalls(upstream, new VertexAuth(vertx, env, new TokenExchange(upstream)), env);
        this.gemini = new GeminiProvider(NAME, calls.gemini());
        this.claude = new AnthropicProvider(NAME, calls.anthropic());
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Both translations read {@code thinking}. */
    @Override
    public boolean readsThinking() {
        return true;
    }

    @Override
    public boolean usesApiKey() {
        return false;
    }

    /** Vertex has no key to check without a token; the doctor does not probe it (yet). */
    @Override
    public HttpCall probe(Deployment deployment) {
        return null;
    }

    private Provider family(ProviderRequest request) {
        return isClaude(request.deployment()) ? claude : gemini;
    }

    private static boolean isClaude(Deployment d) {
        return VertexTarget.publisherOf(d.model()).equals("anthropic");
    }

    @Override
    public Future<ObjectNode> chat(ProviderRequest request) {
        return family(request).chat(request);
    }

    @Override
    public Future<Void> chatStream(ProviderRequest request, ChunkSink sink) {
        return family(request).chatStream(request, sink);
    }

    @Override
    public Future<ObjectNode> embeddings(ProviderRequest request) {
        Deployment d = request.deployment();
        if (isClaude(d)) return unsupported("embeddings with Claude models");
        List<String> texts;
        try {
            texts = GeminiProvider.embeddingTexts(request.body());
        } catch (GatewayException e) {
            return Future.failedFuture(e);
        }
        Buffer body = Json.toBuffer(VertexEmbeddings.request(texts, request.body().get("dimensions")));
        return calls.authorized(request, GeminiProvider.errorMapper(NAME),
                        (t, authz, errors) -> calls.upstream().send(VertexCalls.call(t.url("predict"), body, NO_HEADERS, authz), request, errors))
                .map(r -> VertexEmbeddings.response(Json.tryParse(r.body()) instanceof ObjectNode o ? o : Json.object(), texts.size(), d.model()));
    }

    /** Claude deployments pass {@code /v1/messages} through; Gemini ones are reached through the translation. */
    @Override
    public boolean passesThrough(Deployment deployment) {
        return isClaude(deployment);
    }

    @Override
    public Future<Answer> messages(ProviderRequest request) {
        return claude.messages(request);
    }

    @Override
    public Future<Void> messagesStream(ProviderRequest request, ChunkSink sink) {
        return claude.messagesStream(request, sink);
    }
}
