package dev.aigateway.server.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;
import dev.aigateway.governance.spend.Pricing;
import dev.aigateway.provider.Provider;
import dev.aigateway.server.ErrorShape;
import dev.aigateway.server.LlmRoute;

/**
 * {@code POST /v1/images/generations}: OpenAI's images API, answered as the provider answered. Billed per image as the
 * price table prices the model's quality and size ({@code hd/1024-x-1024/dall-e-3}: per pixel or per image), else at the
 * model's own prices; token usage, when the provider reports it (gpt-image-1), is recorded and priced too.
 */
public final class ImagesHandler {
    public static final LlmRoute ROUTE = new LlmRoute("image_generation", ImagesRequestValidator::validate, Provider::imageGeneration,
            LlmRoute.Answer.AS_IS, null, ErrorShape.OPENAI).metered(ImagesHandler::usage);

    private ImagesHandler() {}

    /** The images made (as many as came back, else as many as were asked), their pixels, and the price variants to try. */
    static JsonNode usage(ObjectNode request, ObjectNode result) {
        JsonNode data = result == null ? null : result.get("data");
        long images = data != null && data.isArray() ? data.size() : request.path("n").asLong(1);
        String size = request.path("size").asText("auto");
        if (!ImagesRequestValidator.SIZE.matcher(size).matches()) size = ImagesRequestValidator.DEFAULT_SIZE; // auto
        int x = size.indexOf('x');
        long pixels = Long.parseLong(size.substring(0, x)) * Long.parseLong(size.substring(x + 1)) * images;
        String tableSize = size.replace("x", "-x-"); // the map writes 1024x1024 as 1024-x-1024
        ObjectNode usage = Json.object();
        JsonNode reported = result == null ? null : result.get("usage");
        if (reported != null && reported.isObject()) {
            long in = reported.path("input_tokens").asLong(0);
            long out = reported.path("output_tokens").asLong(0);
            usage.put("prompt_tokens", in).put("completion_tokens", out).put("total_tokens", reported.path("total_tokens").asLong(in + out));
        }
        usage.putObject(Pricing.BILLED_UNITS).put("images", images).put("pixels", pixels);
        var variants = usage.putArray(Pricing.PRICE_VARIANTS);
        String quality = request.path("quality").asText("auto");
        if (!quality.equals("auto")) {
            variants.add(quality + "/" + tableSize);
        } else { // the API's default quality: DALL-E 3's standard, gpt-image-1's medium
            variants.add("standard/" + tableSize).add("medium/" + tableSize);
        }
        variants.add(tableSize);
        return usage;
    }
}
