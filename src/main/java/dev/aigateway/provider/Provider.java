package dev.aigateway.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.provider.http.HttpCall;
import io.vertx.core.Future;

/**
 * One LLM provider: OpenAI-format requests in, OpenAI-format results out. Everything the provider's
 * wire format needs (paths, headers, field names, stop reasons, error bodies) stays inside its package.
 *
 * <p>Failures are {@link GatewayException}s already mapped to the error table of docs/api.md, naming the provider.
 */
public interface Provider {

    /** The prefix in litellm_params.model, e.g. "anthropic". */
    String name();

    /**
     * The OpenAI-format chat field this provider limits an answer's length by, for when the gateway sets the limit
     * itself (a budget caps a request that set none). Translating providers read both {@code max_tokens} and
     * {@code max_completion_tokens}; OpenAI-compatible servers mostly know only {@code max_tokens}.
     */
    default String outputLimitField() {
        return "max_tokens";
    }

    /**
     * Whether this provider reads Anthropic's {@code thinking} parameter in a chat body (its exact budget, adaptive or
     * disabled). The Messages API's translation carries both {@code thinking} and the {@code reasoning_effort} it maps
     * to ({@link ReasoningEffort}); a provider that does not read {@code thinking} is sent only the effort, since
     * OpenAI and most compatible servers refuse a parameter they do not know. Either goes only to a model that reasons
     * (see {@code MessagesApi.forProvider}).
     */
    default boolean readsThinking() {
        return false;
    }

    /**
     * The cheapest authenticated request this provider has for a deployment, to check its key and base URL without
     * spending tokens: listing its models (a GET with the same auth headers and API version as a real call). Null when
     * the provider cannot be asked (Azure without {@code api_base}) or needs no check (mock). Not sent by the gateway;
     * {@code ./ai-gateway doctor} sends it.
     */
    HttpCall probe(Deployment deployment);

    /** Whether this provider authenticates with {@code api_key} (Ollama and mock do not need one). */
    default boolean usesApiKey() {
        return true;
    }

    /** Non-streaming chat: resolves to an OpenAI {@code chat.completion} object. */
    Future<ObjectNode> chat(ProviderRequest request);

    /**
     * Streaming chat. The future completes once the upstream has accepted the call (2xx headers) and
     * chunks will follow into {@code sink}; it fails, with nothing written to the sink, if the call was
     * refused before streaming began (so a router may still try elsewhere).
     */
    Future<Void> chatStream(ProviderRequest request, ChunkSink sink);

    /** OpenAI {@code /v1/embeddings}: resolves to an OpenAI {@code list} of embeddings (float arrays). */
    default Future<ObjectNode> embeddings(ProviderRequest request) {
        return Future.failedFuture(GatewayException.badRequest(
                "Provider '" + name() + "' does not support embeddings.", "model"));
    }

    /** OpenAI {@code /v1/images/generations}: resolves to OpenAI's images answer ({@code created}, {@code data}). */
    default Future<ObjectNode> imageGeneration(ProviderRequest request) {
        return unsupported("image generation");
    }

    /**
     * OpenAI {@code /v1/audio/transcriptions}: the request's fields are the form's ({@code file} a
     * {@link dev.aigateway.provider.http.MultipartForm.Part}); resolves to a JSON transcription, or {@code {"text": ...}}
     * when the client asked for a text format (as LiteLLM answers those).
     */
    default Future<ObjectNode> transcription(ProviderRequest request) {
        return unsupported("audio transcription");
    }

    /**
     * OpenAI {@code /v1/audio/speech}: the audio bytes go to {@code sink} as they come ({@link ChunkSink#passThrough},
     * the upstream's content-type through {@link ChunkSink#upstreamHeaders}); completes as {@link #chatStream} does.
     */
    default Future<Void> speech(ProviderRequest request, ChunkSink sink) {
        return unsupported("text to speech");
    }

    /** OpenAI {@code /v1/moderations}: resolves to OpenAI's moderation answer. */
    default Future<ObjectNode> moderation(ProviderRequest request) {
        return unsupported("moderations");
    }

    /**
     * Cohere's rerank ({@code /v1/rerank}): the request in Cohere's shape ({@code query}, {@code documents} as texts,
     * {@code top_n}); resolves to Cohere's answer ({@code id}, {@code results} of {@code index} and
     * {@code relevance_score}, {@code meta}).
     */
    default Future<ObjectNode> rerank(ProviderRequest request) {
        return unsupported("rerank");
    }

    /** The failure of a call this provider has no endpoint for: a 400 naming the model, so a router tries no further. */
    default <T> Future<T> unsupported(String what) {
        return Future.failedFuture(GatewayException.badRequest("Provider '" + name() + "' does not support " + what + ".", "model"));
    }

    /**
     * OpenAI legacy {@code /v1/completions}. Providers without a native endpoint return null and the
     * gateway runs the prompt as a chat.
     */
    default Future<ObjectNode> textCompletion(ProviderRequest request) {
        return null;
    }
}
