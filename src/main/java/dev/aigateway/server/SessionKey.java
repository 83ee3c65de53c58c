package dev.aigateway.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.router.RouterSettings;
import dev.aigateway.router.SessionAffinity;
import dev.aigateway.server.origin.RequestOrigin;

/**
 * The session a request belongs to, as the router's {@link SessionAffinity} takes it: the session its headers name
 * ({@link RequestOrigin#sessionId()}), then OpenAI's {@code prompt_cache_key}, else, with {@code session_affinity:
 * prefix}, the conversation's opening (its first system and first user message: every turn of a conversation repeats
 * them, and a prompt cache is keyed by that prefix). Only a hash goes to the router.
 */
final class SessionKey {
    private SessionKey() {}

    /** The request's session key, or {@link SessionAffinity#NONE}. */
    static long of(RouterSettings.Affinity affinity, RequestOrigin origin, ObjectNode chatBody) {
        if (affinity == RouterSettings.Affinity.OFF) return SessionAffinity.NONE;
        if (origin.sessionId() != null) return SessionAffinity.key(origin.sessionId().hashCode());
        JsonNode cacheKey = chatBody.get("prompt_cache_key");
        if (cacheKey != null && cacheKey.isTextual() && !cacheKey.asText().isBlank()) {
            return SessionAffinity.key(cacheKey.asText().hashCode());
        }
        return affinity == RouterSettings.Affinity.PREFIX ? opening(chatBody.get("messages")) : SessionAffinity.NONE;
    }

    /** A hash of the first system (or developer) message and the first user message; none without a user message. */
    private static long opening(JsonNode messages) {
        if (messages == null || !messages.isArray()) return SessionAffinity.NONE;
        JsonNode system = null;
        for (JsonNode m : messages) {
            String role = m.path("role").asText();
            if (system == null && (role.equals("system") || role.equals("developer"))) system = m.get("content");
            // JsonNode's hash is its content's (strings, numbers, fields): the same on every instance and JVM
            if (role.equals("user")) return SessionAffinity.key(31 * (system == null ? 0 : system.hashCode()) + m.path("content").hashCode());
        }
        return SessionAffinity.NONE;
    }
}
