package dev.aigateway.server.messages;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.Json;
import dev.aigateway.governance.spend.CostEstimator;
import dev.aigateway.governance.spend.Tokenizer;
import dev.aigateway.provider.ProviderRequest;
import dev.aigateway.provider.anthropic.AnthropicTokenCounter;
import dev.aigateway.server.ErrorShape;
import dev.aigateway.server.RequestContext;
import dev.aigateway.server.RequestPipeline;
import dev.aigateway.server.Responses;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code POST /v1/messages/count_tokens}: Anthropic's token count of a Messages request ({@code {"input_tokens": N}}),
 * which Claude Code asks before long prompts. The caller is checked as on {@code /v1/messages} (key, allowed models,
 * aliases, allowed_routes); then
 * <ul>
 *   <li>an {@code anthropic/} deployment is asked ({@link AnthropicTokenCounter}): its answer is Anthropic's own;</li>
 *   <li>any other deployment gets the gateway's estimate: the request translated exactly as {@code /v1/messages}
 *       translates it, counted as budgets count it ({@link CostEstimator#billedPromptTokens}, o200k), so the answer is
 *       never below what a budget reserves for the same prompt (other providers' own tokenizers differ).</li>
 * </ul>
 * Nothing is generated, so nothing is billed: no spend row, no rpm/tpm or budget admission (a count is free upstream
 * too). The tokenizer is loaded on a worker the first time, never on the event loop.
 */
public final class CountTokensHandler {
    private final RequestPipeline pipeline;
    private final AnthropicTokenCounter anthropic;

    public CountTokensHandler(RequestPipeline pipeline, AnthropicTokenCounter anthropic) {
        this.pipeline = pipeline;
        this.anthropic = anthropic;
    }

    public void handle(HttpServerRequest req) {
        RequestContext ctx = pipeline.begin(req);
        Future.succeededFuture(ctx)
                .map(pipeline::authenticateLlm)
                .compose(p -> pipeline.readJson(ctx))
                .compose(body -> count(ctx, body))
                .onSuccess(answer -> Responses.json(ctx, 200, answer))
                .onFailure(t -> Responses.error(ctx, t, ErrorShape.ANTHROPIC));
    }

    /**
     * Routed first, on the client's body: an Anthropic deployment gets the body untranslated (blocks and tools the
     * translation does not know, or drops, are Anthropic's to count), so only the estimate needs the translation.
     */
    private Future<ObjectNode> count(RequestContext ctx, ObjectNode anthropicBody) {
        Deployment d = pipeline.route(ctx, anthropicBody); // permissions, aliases, the deployment; takes the routing fields out
        if (d != null && "anthropic".equals(d.provider())) {
            HttpServerRequest req = ctx.request();
            return anthropic.count(new ProviderRequest(d, anthropicBody, ctx.cancel()),
                    req.getHeader("anthropic-version"), req.getHeader("anthropic-beta"));
        }
        ObjectNode chat = asChat(anthropicBody);
        Future<Void> tokenizer = Tokenizer.loaded() ? Future.succeededFuture() : pipeline.blocking(() -> {
            Tokenizer.load();
            return null;
        });
        return tokenizer.map(v -> Json.object().put("input_tokens", estimate(chat)));
    }

    /**
     * The request as {@code /v1/messages} hands it to budgets: validated in Anthropic's terms and translated (the body
     * is changed: it is not sent anywhere after this). A count has
     * no {@code max_tokens} (Anthropic's count_tokens takes none); the translation needs one and the prompt's count does
     * not depend on it.
     */
    static ObjectNode asChat(ObjectNode anthropicBody) {
        if (!anthropicBody.hasNonNull("max_tokens")) anthropicBody.put("max_tokens", 1); // the body is this request's own
        anthropicBody.remove("stream");
        return MessagesHandler.asChat(anthropicBody); // the same translation /v1/messages makes, so the count matches its reservation
    }

    /** The prompt's tokens as a budget reserves them for the same request on {@code /v1/messages}. */
    static long estimate(ObjectNode chat) {
        return CostEstimator.billedPromptTokens(chat);
    }
}
