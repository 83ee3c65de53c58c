package dev.aigateway.server.chat;

import dev.aigateway.provider.Provider;
import dev.aigateway.server.ErrorShape;
import dev.aigateway.server.LlmRoute;

/** {@code POST /v1/chat/completions}: OpenAI chat in, any provider out, streamed or not. */
public final class ChatCompletionsHandler {
    /** What the chat route adds to the pipeline: its validator, and an SSE writer that adds usage when the client asks. */
    public static final LlmRoute ROUTE = new LlmRoute("chat", ChatRequestValidator::validate, Provider::chat, LlmRoute.Answer.AS_IS,
            (ctx, body) -> new SseChatWriter(ctx, body.path("stream_options").path("include_usage").asBoolean(false)),
            ErrorShape.OPENAI);

    private ChatCompletionsHandler() {}
}
