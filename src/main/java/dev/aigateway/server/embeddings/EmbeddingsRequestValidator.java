package dev.aigateway.server.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static dev.aigateway.server.RequestFields.bad;
import static dev.aigateway.server.RequestFields.integer;
import static dev.aigateway.server.RequestFields.maxItems;
import static dev.aigateway.server.RequestFields.string;

/**
 * Checks an embeddings request the way OpenAI does, with every count bounded: a 400 naming the field
 * instead of a provider's puzzling error, or an answer too big for the heap.
 */
public final class EmbeddingsRequestValidator {
    /** Inputs per request: OpenAI's maximum. */
    public static final int MAX_INPUTS = 2048;
    /**
     * {@code dimensions}: twice the widest embedding models offer today (4096), so no real model is refused while a
     * number that would size an allocation (the mock provider builds its vectors locally) stays small.
     */
    public static final int MAX_DIMENSIONS = 8192;

    private EmbeddingsRequestValidator() {}

    public static ObjectNode validate(ObjectNode body) {
        JsonNode input = body.get("input");
        if (input == null || input.isNull()) throw bad("Missing required parameter: 'input'.", "input");
        if (!input.isTextual() && !input.isArray()) {
            throw bad("Invalid type for 'input': expected a string or an array of strings.", "input");
        }
        if (input.isArray() && input.isEmpty()) throw bad("'input' must not be empty.", "input");
        // An array of integers is one tokenized input, not many: only arrays of texts (or of token arrays) count.
        if (input.isArray() && !input.get(0).isNumber()) maxItems(input, "input", MAX_INPUTS);
        JsonNode format = body.get("encoding_format");
        if (format != null && !format.isNull() && !"float".equals(format.asText()) && !"base64".equals(format.asText())) {
            throw bad("Invalid value for 'encoding_format': supported values are 'float' and 'base64'.", "encoding_format");
        }
        integer(body, "dimensions", 1, MAX_DIMENSIONS);
        string(body, "user");
        return body;
    }
}
