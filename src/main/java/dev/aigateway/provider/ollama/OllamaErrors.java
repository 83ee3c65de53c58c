package dev.aigateway.provider.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.provider.ProviderErrors;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * Ollama's error body is {@code {"error": "message"}} (a plain string, no code). Unknown routes answer Go's
 * plain-text "404 page not found", which is reported as it is. The status alone picks the gateway error.
 */
final class OllamaErrors {
    private static final int MAX_RAW = 500;

    private OllamaErrors() {}

    static GatewayException map(int status, MultiMap headers, Buffer body) {
        JsonNode json = Json.tryParse(body);
        JsonNode err = json == null ? null : json.get("error");
        String message;
        if (err != null && err.isTextual()) message = err.asText();
        else if (err != null && err.isObject()) message = err.path("message").asText(); // an OpenAI-style proxy in front
        else message = raw(body);
        return ProviderErrors.map("ollama", status, message, null, headers);
    }

    private static String raw(Buffer body) {
        String s = body.toString().strip();
        return s.length() <= MAX_RAW ? s : s.substring(0, MAX_RAW) + "...";
    }
}
