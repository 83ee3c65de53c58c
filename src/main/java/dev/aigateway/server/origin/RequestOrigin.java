package dev.aigateway.server.origin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.MultiMap;

/**
 * Who is behind an LLM request beyond its key: the tool that sent it ({@link ClientClassifier}), its raw User-Agent,
 * the tool's session and the end user (LiteLLM's "customer"). Read once per request from the headers when it
 * begins and completed from the body the pipeline already parsed ({@link #withBody}); stored in the spend row,
 * and the tool's class is a metric label.
 *
 * <p>Every value comes from the client and is treated as hostile: bounded, control and format characters
 * (line breaks, bidi overrides) removed, empty treated as absent. None is a credential.
 *
 * @param client    the tool's class: always one of {@link ClientClassifier#CLASSES}
 * @param userAgent the User-Agent as sent, cleaned and cut to {@link #MAX_USER_AGENT} characters; null when none
 * @param sessionId the tool's session or conversation id, cut to {@link #MAX_SESSION_ID}; null when none
 * @param endUser   the end user, cut to {@link #MAX_END_USER}; null when none
 */
public record RequestOrigin(String client, String userAgent, String sessionId, String endUser) {
    public static final int MAX_USER_AGENT = 256;
    public static final int MAX_SESSION_ID = 128;
    public static final int MAX_END_USER = 255;

    /** A request nothing is known about (not an LLM route, or refused before its headers were read). */
    public static final RequestOrigin NONE = new RequestOrigin(ClientClassifier.UNKNOWN, null, null, null);

    /**
     * Session headers, first match wins: Claude Code's, LiteLLM's explicit one, the generic ones, Codex's
     * ({@code session_id}; older releases also sent {@code conversation_id} with the same value), Open WebUI's chat id,
     * and the affinity hint other gateways take. The router keeps a session on one deployment by it, too.
     */
    static final String[] SESSION_HEADERS = {"x-claude-code-session-id", "x-litellm-session-id", "x-session-id", "session_id",
            "session-id", "conversation_id", "x-openwebui-chat-id", "x-session-affinity"};

    /** LiteLLM's standard customer headers, read before the body (its {@code STANDARD_CUSTOMER_ID_HEADERS} order). */
    static final String[] END_USER_HEADERS = {"x-litellm-customer-id", "x-litellm-end-user-id"};

    /** What the headers say. */
    public static RequestOrigin fromHeaders(MultiMap headers) {
        String rawAgent = headers.get("user-agent");
        String client = ClientClassifier.classify(rawAgent);
        // Open WebUI's backend sends its HTTP library's User-Agent; its forwarded-user headers name it
        if (ClientClassifier.OTHER.equals(client) || ClientClassifier.UNKNOWN.equals(client)) {
            if (headers.contains("x-openwebui-user-id") || headers.contains("x-openwebui-chat-id")) client = ClientClassifier.OPEN_WEBUI;
        }
        String session = null;
        for (String h : SESSION_HEADERS) {
            session = clean(headers.get(h), MAX_SESSION_ID);
            if (session != null) break;
        }
        String endUser = null;
        for (String h : END_USER_HEADERS) {
            endUser = clean(headers.get(h), MAX_END_USER);
            if (endUser != null) break;
        }
        return new RequestOrigin(client, clean(rawAgent, MAX_USER_AGENT), session, endUser);
    }

    /**
     * The end user from the body when no header named one, in LiteLLM's order: {@code user} (OpenAI),
     * {@code litellm_metadata.user}, {@code metadata.user_id} (Anthropic Messages; Claude Code fills it),
     * {@code safety_identifier} (OpenAI's newer field). Reads the tree already parsed, never the bytes.
     */
    public RequestOrigin withBody(ObjectNode body) {
        if (endUser != null || body == null) return this;
        String found = scalar(body.get("user"));
        if (found == null) found = scalar(body.path("litellm_metadata").get("user"));
        if (found == null) found = scalar(body.path("metadata").get("user_id"));
        if (found == null) found = scalar(body.get("safety_identifier"));
        found = clean(found, MAX_END_USER);
        return found == null ? this : new RequestOrigin(client, userAgent, sessionId, found);
    }

    /** A string or number as text (LiteLLM coerces both); objects, arrays, booleans and null are no id. */
    private static String scalar(JsonNode n) {
        if (n == null || !(n.isTextual() || n.isNumber())) return null;
        return n.asText();
    }

    /**
     * The value without control or format characters (no forged log lines, no bidi tricks in the UI), cut to
     * {@code max} characters without splitting a surrogate pair, trimmed; null when nothing is left.
     */
    static String clean(String s, int max) {
        if (s == null || s.isEmpty()) return null;
        StringBuilder b = new StringBuilder(Math.min(s.length(), max));
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) continue;
            int type = Character.getType(c);
            if (type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                    || type == Character.UNASSIGNED && !Character.isSurrogate(c)) continue;
            b.append(c);
        }
        if (b.length() > 0 && Character.isHighSurrogate(b.charAt(b.length() - 1))) b.setLength(b.length() - 1);
        String out = b.toString().strip();
        return out.isEmpty() ? null : out;
    }
}
