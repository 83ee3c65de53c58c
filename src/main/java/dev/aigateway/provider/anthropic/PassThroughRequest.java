package dev.aigateway.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.Json;
import dev.aigateway.provider.ClientCall;
import io.vertx.core.MultiMap;

import java.util.List;

/**
 * What a client's Anthropic request becomes when it is passed through to an Anthropic deployment: the same body with
 * the deployment's model id, without the gateway's own routing fields and without the unsigned thinking blocks the
 * gateway's translation wrote for other providers' reasoning ({@link UnsignedThinking}), and the Anthropic headers the
 * client chose. Everything else (signed thinking and redacted_thinking blocks, cache_control, documents, server tools,
 * context_management, content block types this gateway has never heard of) is left as the client sent it.
 */
final class PassThroughRequest {
    /** Forwarded as the client sent them: {@code anthropic-beta} is an open list (unknown values pass). */
    private static final List<String> FORWARDED_HEADERS = List.of("anthropic-version", "anthropic-beta");

    private PassThroughRequest() {}

    /**
     * The upstream body: a shallow copy (the client's tree is not touched, a retry reuses it), field order kept;
     * {@code messages} is copied only when it holds an unsigned thinking block.
     */
    static ObjectNode body(ClientCall client, Deployment d) {
        ObjectNode out = Json.object();
        out.setAll(client.body());
        for (String f : ClientCall.GATEWAY_FIELDS) out.remove(f);
        out.put("model", d.model());
        JsonNode messages = out.get("messages");
        JsonNode signed = UnsignedThinking.strip(messages);
        if (signed != messages) out.set("messages", signed);
        return out;
    }

    /**
     * The client's Anthropic headers, several values of one header joined with commas (as HTTP allows);
     * {@code anthropic-version} defaults to the one the translated path sends.
     */
    static void headers(ClientCall client, MultiMap upstream) {
        MultiMap in = client.headers();
        for (String name : FORWARDED_HEADERS) {
            List<String> values = in == null ? List.of() : in.getAll(name);
            if (!values.isEmpty()) upstream.set(name, String.join(",", values));
        }
        if (!upstream.contains("anthropic-version")) upstream.set("anthropic-version", AnthropicProvider.API_VERSION);
    }
}
