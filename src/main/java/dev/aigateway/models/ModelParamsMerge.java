package dev.aigateway.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.config.DeploymentParser;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.SecretParams;
import dev.aigateway.core.UrlCredentials;

import java.util.Map;
import java.util.Objects;

/**
 * A change to a stored runtime model's {@code litellm_params} ({@code /model/update}, and {@code /model/test} of an
 * edited model), merged as LiteLLM merges it: given fields replace stored ones; {@code null}, an empty credential, or
 * the masked {@code api_base} that {@code /model/info} showed keep the stored value (a client never sees the stored
 * secrets, so it cannot send them back).
 *
 * <p>One rule on top: <b>a stored credential is only sent where it was stored for.</b> A change that sends the model
 * elsewhere (another {@code api_base}, another provider) must give every stored credential again, else it is refused
 * with a 400 naming the field. Without it, an admin key could point a model at a server of its own (or at an internal
 * service, reading its answer in the error) and receive the decrypted provider key there.
 */
public final class ModelParamsMerge {
    private ModelParamsMerge() {}

    /** The stored params with the change applied; 400 when the change redirects a stored credential. */
    public static ObjectNode apply(ObjectNode stored, ObjectNode changes) {
        ObjectNode merged = stored.deepCopy();
        for (Map.Entry<String, JsonNode> f : changes.properties()) {
            JsonNode v = f.getValue();
            if (v == null || v.isNull()) continue;
            if (SecretParams.isSecret(f.getKey()) && v.isTextual() && v.asText().isEmpty()) continue;
            if (SecretParams.API_BASE.equals(f.getKey()) && v.isTextual() && isShownFormOf(v.asText(), text(stored.get(f.getKey())))) continue;
            merged.set(f.getKey(), v);
        }
        JsonNode base = changes.get(SecretParams.API_BASE);
        if (base != null && base.isTextual() && !Objects.equals(text(merged.get(SecretParams.API_BASE)), text(stored.get(SecretParams.API_BASE)))
                && base.asText().contains(UrlCredentials.MASK)) {
            throw GatewayException.badRequest("litellm_params.api_base holds " + UrlCredentials.MASK + " where a credential was: the stored one "
                    + "is not carried over to another URL. Write the new api_base in full, with its credentials.", "litellm_params.api_base");
        }
        String moved = destinationChange(stored, merged);
        if (moved != null) {
            for (Map.Entry<String, JsonNode> f : stored.properties()) {
                if (!SecretParams.isSecret(f.getKey()) || text(f.getValue()) == null) continue;
                if (text(changes.get(f.getKey())) == null) {
                    throw GatewayException.badRequest("litellm_params." + f.getKey() + " must be given again: this change sends the model to "
                            + moved + ", and a stored credential is only sent where it was stored for. Send " + f.getKey()
                            + " (or os.environ/NAME) with the change.", "litellm_params." + f.getKey());
                }
            }
        }
        return merged;
    }

    /** What about the endpoint changed (for the message), or null when requests still go where they went. */
    private static String destinationChange(ObjectNode before, ObjectNode after) {
        if (!Objects.equals(provider(before), provider(after))) return "another provider (" + provider(after) + ")";
        if (!Objects.equals(text(before.get(SecretParams.API_BASE)), text(after.get(SecretParams.API_BASE)))) return "another api_base";
        return null;
    }

    /** The provider a model's requests go to: custom_llm_provider, else the model's prefix, else LiteLLM's inference. */
    private static String provider(ObjectNode params) {
        String custom = text(params.get("custom_llm_provider"));
        if (custom != null) return custom;
        String model = text(params.get("model"));
        if (model == null) return null;
        int slash = model.indexOf('/');
        return slash > 0 ? model.substring(0, slash) : DeploymentParser.inferProvider(model);
    }

    /** Whether {@code given} is what /model/info showed for the stored api_base (its masked form, when it differs). */
    private static boolean isShownFormOf(String given, String stored) {
        return stored != null && UrlCredentials.holdsCredential(stored) && given.equals(UrlCredentials.masked(stored));
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() || !n.isValueNode() || n.asText().isEmpty() ? null : n.asText();
    }
}
