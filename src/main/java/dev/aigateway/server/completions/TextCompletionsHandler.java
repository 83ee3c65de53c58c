package dev.aigateway.server.completions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.provider.ChunkSink;
import dev.aigateway.provider.Provider;
import dev.aigateway.provider.ProviderRequest;
import dev.aigateway.server.ErrorShape;
import dev.aigateway.server.LlmRoute;
import dev.aigateway.server.RequestContext;
import dev.aigateway.server.chat.SseChatWriter;
import io.vertx.core.Future;

/**
 * {@code POST /v1/completions}. Non-streamed calls use the provider's native completions endpoint when it
 * has one; otherwise (and for streams) the prompt runs as a chat and the answer is converted back.
 */
public final class TextCompletionsHandler {
    public static final LlmRoute ROUTE = new LlmRoute("completion", CompletionsRequestValidator::validate,
            TextCompletionsHandler::complete, LlmRoute.Answer.AS_IS, new AsChatStream(), ErrorShape.OPENAI);

    private TextCompletionsHandler() {}

    private static Future<ObjectNode> complete(Provider provider, ProviderRequest request) {
        Future<ObjectNode> nativeCall = provider.textCompletion(request);
        if (nativeCall != null) return nativeCall;
        // request.body(), not the client's body: it carries the output limit a budget may have set for this attempt
        ProviderRequest asChat = new ProviderRequest(request.deployment(), TextCompletions.toChat(request.body()), request.cancel());
        return provider.chat(asChat).map(TextCompletions::fromChat);
    }

    /** A stream is always a chat stream: the prompt sent as a chat, each chunk turned back into a text completion's. */
    private static final class AsChatStream implements LlmRoute.Streaming {
        @Override
        public ObjectNode body(ObjectNode request) {
            return TextCompletions.toChat(request);
        }

        @Override
        public ChunkSink sink(RequestContext ctx, ObjectNode chat) {
            SseChatWriter writer = new SseChatWriter(ctx, chat.path("stream_options").path("include_usage").asBoolean(false));
            return new ChunkSink() {
                @Override public void chunk(ObjectNode chunk) { writer.chunk(TextCompletions.chunkFromChat(chunk)); }
                @Override public void end() { writer.end(); }
                @Override public void fail(GatewayException error) { writer.fail(error); }
                @Override public boolean writeQueueFull() { return writer.writeQueueFull(); }
                @Override public void drainHandler(Runnable onDrain) { writer.drainHandler(onDrain); }
            };
        }
    }
}
