package dev.aigateway.server.moderations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.governance.spend.Pricing;
import dev.aigateway.provider.Provider;
import dev.aigateway.router.Router;
import dev.aigateway.server.ErrorShape;
import dev.aigateway.server.LlmRoute;
import io.vertx.core.Future;

import static dev.aigateway.server.RequestFields.bad;
import static dev.aigateway.server.RequestFields.maxItems;
import static dev.aigateway.server.RequestFields.string;

/**
 * {@code POST /v1/moderations}: OpenAI's moderation API (free: no token price). As in LiteLLM, {@code model} may be left
 * out: the request then goes to the first configured model whose mode is {@code moderation} (its {@code model_info}, or
 * the price table for its model), under the same key permissions as a named model.
 */
public final class ModerationsHandler {
    /** Inputs per request: OpenAI takes an array of texts (or of text and image parts). */
    public static final int MAX_INPUTS = 2048;

    private ModerationsHandler() {}

    /** The route, with the model a request without one is sent to found among {@code router}'s models. */
    public static LlmRoute route(Router router, Pricing pricing) {
        LlmRoute.Prepare defaultModel = (ctx, body) -> {
            if (!body.hasNonNull("model")) {
                String model = moderationModel(router, pricing);
                if (model == null) {
                    return Future.failedFuture(bad("Missing required parameter: 'model' (no model with mode: moderation is configured to default to).", "model"));
                }
                body.put("model", model);
            }
            return Future.succeededFuture(new LlmRoute.Prepared(body, body));
        };
        return new LlmRoute("moderation", ModerationsHandler::validate, Provider::moderation, LlmRoute.Answer.AS_IS, null,
                ErrorShape.OPENAI, defaultModel);
    }

    /** The first model the gateway serves whose mode is moderation, or null. */
    static String moderationModel(Router router, Pricing pricing) {
        for (Deployment d : router.catalog().all()) {
            if (!d.wildcard() && "moderation".equals(pricing.priceOf(d).mode())) return d.modelName();
        }
        return null;
    }

    static ObjectNode validate(ObjectNode body) {
        JsonNode input = body.get("input");
        if (input == null || input.isNull()) throw bad("Missing required parameter: 'input'.", "input");
        if (!input.isTextual() && !input.isArray()) throw bad("Invalid type for 'input': expected a string or an array.", "input");
        if (input.isArray() && input.isEmpty()) throw bad("'input' must not be empty.", "input");
        maxItems(input, "input", MAX_INPUTS);
        string(body, "model");
        return body;
    }
}
