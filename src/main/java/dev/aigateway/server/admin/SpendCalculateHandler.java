package dev.aigateway.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.governance.spend.CostEstimator;
import dev.aigateway.governance.spend.Pricing;
import dev.aigateway.pricing.ModelPrice;
import dev.aigateway.router.Router;
import dev.aigateway.server.RequestContext;
import dev.aigateway.server.RequestPipeline;
import dev.aigateway.server.Responses;
import dev.aigateway.server.Routes;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.util.List;

/**
 * {@code POST /spend/calculate}, LiteLLM's cost calculator, for any key: {@code {"model", "messages"}} prices the
 * prompt's tokens (as the gateway counts them for budgets) at the model's input price; {@code {"completion_response":
 * {...}}} prices an OpenAI answer's {@code usage} at its {@code model}'s prices. Either answers {@code {"cost": x}}.
 * A model this gateway serves is priced as its first deployment is (model_info prices included); any other name is
 * looked up in the price table.
 */
public final class SpendCalculateHandler {
    private final RequestPipeline pipeline;
    private final Router router;
    private final Pricing pricing;

    public SpendCalculateHandler(RequestPipeline pipeline, Router router, Pricing pricing) {
        this.pipeline = pipeline;
        this.router = router;
        this.pricing = pricing;
    }

    public void register(Routes routes) {
        routes.add(HttpMethod.POST, "/spend/calculate", this::handle);
    }

    private void handle(HttpServerRequest req) {
        RequestContext ctx = pipeline.begin(req);
        try {
            pipeline.authenticate(ctx);
            pipeline.readJson(ctx)
                    // Counting tokens may load the tokenizer the first time: off the event loop.
                    .compose(body -> pipeline.blocking(() -> cost(body)))
                    .onSuccess(cost -> {
                        ObjectNode out = Json.object();
                        out.put("cost", cost);
                        Responses.json(ctx, 200, out);
                    })
                    .onFailure(t -> Responses.error(ctx, t));
        } catch (RuntimeException e) {
            Responses.error(ctx, e);
        }
    }

    private double cost(ObjectNode body) {
        JsonNode response = body.get("completion_response");
        if (response != null && !response.isNull()) {
            if (!response.isObject()) throw GatewayException.badRequest("completion_response must be an object (an OpenAI answer).", "completion_response");
            String model = model(response.get("model"), body.get("model"), "completion_response.model");
            JsonNode usage = response.get("usage");
            if (usage == null || !usage.isObject()) {
                throw GatewayException.badRequest("completion_response.usage is required to price an answer.", "completion_response.usage");
            }
            return Pricing.cost(usage, price(model));
        }
        String model = model(body.get("model"), null, "model");
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray()) {
            throw GatewayException.badRequest("Send either {\"model\", \"messages\"} or {\"completion_response\": {...}}.", "messages");
        }
        ObjectNode prompt = Json.object();
        prompt.set("messages", messages);
        long tokens = CostEstimator.promptTokens(prompt);
        Double in = price(model).inputCostPerToken();
        return in == null ? 0 : tokens * in;
    }

    private static String model(JsonNode model, JsonNode otherwise, String field) {
        JsonNode m = model != null && !model.isNull() ? model : otherwise;
        if (m == null || !m.isTextual() || m.asText().isBlank() || m.asText().length() > 256) {
            throw GatewayException.badRequest(field + " must be a model name.", field);
        }
        return m.asText();
    }

    private ModelPrice price(String model) {
        List<Deployment> served = router.catalog().deployments(router.resolve(model));
        ModelPrice p = served.isEmpty() ? pricing.priceOfModel(model) : pricing.priceOf(served.get(0));
        if (p.inputCostPerToken() == null && p.outputCostPerToken() == null) {
            throw GatewayException.badRequest("No price is known for the model '" + model
                    + "': it is neither served here with prices nor in the price table.", "model");
        }
        return p;
    }
}
