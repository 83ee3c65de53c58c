package dev.aigateway.provider.vertex;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.provider.gemini.GeminiProvider;
import dev.aigateway.provider.http.ErrorMapper;

/**
 * Vertex AI's failures. Its front end answers in Google's error JSON ({@code {"error": {"code", "message", "status"}}})
 * for every model, including Claude (authentication, permissions, quota, unknown models); a Claude model's own
 * refusals come in Anthropic's form and go to its translation. Google's status decides, never the message: two get
 * Vertex's own advice, the role to grant and where the model was looked for; the rest map as Gemini's do.
 */
final class VertexErrors {
    static final String ROLE = "roles/aiplatform.user";
    private static final ErrorMapper GOOGLE = GeminiProvider.errorMapper(VertexProvider.NAME);

    private VertexErrors() {}

    /** @param vendor the model family's own mapping, for a body that is not Google's */
    static ErrorMapper of(VertexTarget t, String model, ErrorMapper vendor) {
        return (status, headers, body) -> {
            JsonNode err = googleError(Json.tryParse(body));
            if (err == null) return vendor.map(status, headers, body);
            String message = err.path("message").asText("");
            return switch (err.path("status").asText("")) {
                case "PERMISSION_DENIED" -> GatewayException.permission(VertexProvider.NAME + " returned 403 PERMISSION_DENIED: " + message
                        + " The credentials need the Vertex AI User role (" + ROLE + ")" + (t.project() == null ? "" : " on project " + t.project()) + ".");
                case "NOT_FOUND" -> GatewayException.modelNotFoundUpstream(VertexProvider.NAME + " has no model '" + model + "'"
                        + (t.project() == null ? "" : " in project " + t.project() + ", location " + t.location()) + " (" + message
                        + "). Check the model id, that the model is enabled in Model Garden and offered in that location.");
                default -> GOOGLE.map(status, headers, body);
            };
        };
    }

    /** The {@code error} object of Google's form (it names a canonical status), or null. */
    private static JsonNode googleError(JsonNode json) {
        if (json != null && json.isArray() && !json.isEmpty()) json = json.get(0); // early stream failures come in an array
        JsonNode err = json == null ? null : json.get("error");
        return err != null && err.isObject() && err.path("status").isTextual() ? err : null;
    }
}
