package dev.aigateway.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.provider.ProviderErrors;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * Bedrock's errors ({@code {"message": ...}} with the type in {@code x-amzn-ErrorType}, or an exception frame inside
 * a stream) to the gateway's error table, with the hint people need: the IAM permission a 403 is about, and what a
 * model that is not enabled looks like.
 *
 * @param permission the IAM action of the call ({@code bedrock:InvokeModel} or
 *                   {@code bedrock:InvokeModelWithResponseStream}), named in access errors
 */
record BedrockErrors(String permission) {
    private static final int MAX_RAW = 300;

    /** An {@link dev.aigateway.provider.http.ErrorMapper} for non-2xx answers. */
    GatewayException map(int status, MultiMap headers, Buffer body) {
        JsonNode json = Json.tryParse(body);
        String message = json == null ? raw(body) : json.path("message").asText(json.path("Message").asText(""));
        String type = headers == null ? null : headers.get("x-amzn-ErrorType");
        if (type != null && type.indexOf(':') > 0) type = type.substring(0, type.indexOf(':'));
        if ((type == null || type.isBlank()) && json != null) type = json.path("__type").asText(null);
        if (type != null && type.contains("#")) type = type.substring(type.lastIndexOf('#') + 1);
        return fromType(status, type, message, headers);
    }

    GatewayException fromType(int status, String type, String message, MultiMap headers) {
        String t = type == null ? "" : type.toLowerCase(java.util.Locale.ROOT);
        String provider = BedrockProvider.NAME;
        if (t.startsWith("throttling") || t.startsWith("servicequotaexceeded") || t.startsWith("toomanyrequests")) {
            return ProviderErrors.map(provider, 429, message, type, headers);
        }
        String check = " Check aws_access_key_id / aws_secret_access_key / aws_session_token or the role they come from.";
        // An access key AWS does not know, or an expired session: the credentials themselves are refused (401, as LiteLLM).
        if (t.startsWith("unrecognizedclient") || t.startsWith("expiredtoken")) {
            return GatewayException.invalidKey(provider + " refused the deployment's AWS credentials (" + type + "): " + message + check);
        }
        // A known key whose signature does not verify: AWS's own 403.
        if (t.startsWith("invalidsignature")) {
            return GatewayException.permission(provider + " refused the request's signature (" + type + "): " + message + check);
        }
        if (t.startsWith("accessdenied")) {
            String hint = message.contains("access to the model")
                    ? " The model is not enabled for this account in this region: request access in the Bedrock console"
                    + " (Model access), or use an inference profile id (us., eu., apac., global.)."
                    : " The credentials' IAM policy must allow " + permission + " on this model (or inference profile).";
            return GatewayException.permission(provider + " returned 403 (AccessDeniedException): " + message + hint);
        }
        if (t.startsWith("resourcenotfound")) {
            return GatewayException.modelNotFoundUpstream(provider + " returned 404 (ResourceNotFoundException): " + message
                    + " Check the model id and aws_region_name, and that the model is enabled in that region.");
        }
        if (t.startsWith("validation")) return ProviderErrors.map(provider, 400, message, "validation_error", headers);
        if (t.startsWith("serviceunavailable") || t.startsWith("modelnotready")) {
            return ProviderErrors.map(provider, 503, message + (type == null ? "" : " (" + type + ")"), type, headers);
        }
        if (t.startsWith("modeltimeout")) return ProviderErrors.map(provider, 408, message, type, headers);
        return ProviderErrors.map(provider, status, message + (type == null || type.isBlank() ? "" : " (" + type + ")"), type, headers);
    }

    private static String raw(Buffer body) {
        String s = body.toString();
        return s.length() > MAX_RAW ? s.substring(0, MAX_RAW) + "..." : s;
    }
}
