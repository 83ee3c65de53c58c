package dev.aigateway.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;

/**
 * Thinking blocks without a signature, taken out of a conversation bound for Anthropic. Only this gateway writes them:
 * a non-Anthropic model's reasoning comes back to a {@code /v1/messages} client as a thinking block with
 * {@code signature: ""} (no other provider signs its reasoning), and clients such as Claude Code send it back in later
 * turns. Anthropic refuses a thinking block whose signature it cannot verify, so a turn that lands on an Anthropic
 * deployment (a fallback, a group mixing providers, a model switch) would fail on it. Anthropic itself never issues
 * one: its thinking blocks are signed, and {@code redacted_thinking} carries its data instead; both pass unchanged.
 */
final class UnsignedThinking {
    private UnsignedThinking() {}

    /**
     * {@code messages} without the unsigned thinking blocks of its assistant turns: the same node when there is none
     * (the usual case: nothing is copied), else a copy sharing every untouched message. An assistant turn left with no
     * block is left out (Anthropic joins the user turns around it, as it joins any consecutive turns of one role).
     */
    static JsonNode strip(JsonNode messages) {
        if (!(messages instanceof ArrayNode list)) return messages;
        ArrayNode out = null;
        for (int i = 0; i < list.size(); i++) {
            JsonNode m = list.get(i);
            JsonNode kept = signedOnly(m);
            if (kept != m && out == null) {
                out = Json.array();
                for (int j = 0; j < i; j++) out.add(list.get(j));
            }
            if (out != null && kept != null) out.add(kept);
        }
        return out == null ? messages : out;
    }

    /** An assistant turn without its unsigned thinking blocks: the same node when it has none, null when none is left. */
    private static JsonNode signedOnly(JsonNode m) {
        if (!(m instanceof ObjectNode turn) || !(turn.get("content") instanceof ArrayNode blocks)
                || !"assistant".equals(turn.path("role").asText())) {
            return m;
        }
        ArrayNode kept = null;
        for (int i = 0; i < blocks.size(); i++) {
            JsonNode b = blocks.get(i);
            boolean unsigned = unsigned(b);
            if (unsigned && kept == null) {
                kept = Json.array();
                for (int j = 0; j < i; j++) kept.add(blocks.get(j));
            } else if (!unsigned && kept != null) {
                kept.add(b);
            }
        }
        if (kept == null) return m;
        if (kept.isEmpty()) return null;
        ObjectNode copy = Json.object();
        copy.setAll(turn);
        copy.set("content", kept);
        return copy;
    }

    private static boolean unsigned(JsonNode block) {
        if (!"thinking".equals(block.path("type").asText())) return false;
        JsonNode signature = block.get("signature");
        return signature == null || signature.isNull() || signature.isTextual() && signature.asText().isEmpty();
    }
}
