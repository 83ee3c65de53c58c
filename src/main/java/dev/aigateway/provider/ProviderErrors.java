package dev.aigateway.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.SecretParams;
import dev.aigateway.core.UrlCredentials;
import io.vertx.core.MultiMap;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Maps a provider's HTTP status and error message to the gateway's error table. Each provider extracts
 * the message (and its own error code) from its error body and calls {@link #map}; the status rules,
 * context-window and content-policy detection live here once.
 *
 * <p>{@link #scrub} is the one redaction every upstream failure passes before anyone sees it (the
 * {@link dev.aigateway.provider.http.Upstream} client applies it to error answers, broken streams and connection
 * failures of every provider): providers echo credentials in their errors (OpenAI the rejected key, others the
 * request's headers or URL), and the deployment's credentials are not the caller's to see.
 */
public final class ProviderErrors {
    private static final Pattern CONTEXT = Pattern.compile(
            "context length|context_length|maximum context|context window|prompt is too long|too many tokens|"
                    + "input token count|exceeds the maximum number of tokens|reduce the length|maximum input length|"
                    + "input is too long|string too long",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern POLICY = Pattern.compile(
            "content policy|content_policy|content management policy|safety system|content_filter|responsibleai",
            Pattern.CASE_INSENSITIVE);

    /** The longest provider message passed on; the rest of a (possibly huge, possibly HTML) error body is cut. */
    public static final int MAX_MESSAGE_CHARS = 2000;
    private static final String REDACTED = "[redacted]";
    /** OpenAI: "Incorrect API key provided: sk-abc***xyz." */
    private static final Pattern ECHOED_KEY = Pattern.compile("(?i)(incorrect api key provided: )[^\\s]+?(\\.?(\\s|$))");
    /** What keys look like: OpenAI/Anthropic/virtual keys (sk-...), Google API keys (AIza...), bearer tokens, key= in URLs. */
    private static final Pattern SK_KEY = Pattern.compile("\\bsk-[A-Za-z0-9_*\\-]{4,}");
    private static final Pattern GOOGLE_KEY = Pattern.compile("\\bAIza[0-9A-Za-z_\\-]{10,}");
    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer\\s+)[A-Za-z0-9._~+/=\\-]{4,}");
    private static final Pattern URL_SECRET = Pattern.compile(
            "(?i)([?&](?:key|api[-_]?key|apikey|token|access_token|auth|sig|signature|password|secret)=)[^&\\s\"'<>]+");
    /** Shorter literals are not redacted by value (they would blank out ordinary words); the patterns still apply. */
    private static final int MIN_LITERAL = 8;

    private ProviderErrors() {}

    /** The same failure with its message redacted and bounded (see {@link #redact}). */
    public static GatewayException scrub(GatewayException e, Deployment d) {
        String m = e.getMessage();
        String clean = redact(m, d);
        GatewayException out = clean == null || clean.equals(m) ? e : e.withMessage(clean);
        GatewayException.ProviderError own = out.providerError();
        if (own != null) {
            String ownClean = redact(own.message(), d);
            if (ownClean != null && !ownClean.equals(own.message())) {
                out = out.withProviderError(own.withMessage(ownClean));
            }
        }
        return out;
    }

    /**
     * A provider's text made safe to pass on: the deployment's own credentials (api_key, every credential field,
     * user info and query values of api_base) replaced by {@code [redacted]} wherever they appear, then whatever
     * looks like a key ({@code sk-...}, {@code AIza...}, {@code Bearer ...}, {@code ?key=...}), and the whole cut to
     * {@value #MAX_MESSAGE_CHARS} characters.
     */
    public static String redact(String message, Deployment d) {
        if (message == null) return null;
        String m = message;
        if (d != null) { // by value first, on the whole text: cutting first could leave half a key that no rule knows
            for (String secret : credentialsOf(d)) {
                if (secret.length() >= MIN_LITERAL) m = m.replace(secret, REDACTED);
            }
        }
        m = bounded(m, MAX_MESSAGE_CHARS);
        m = ECHOED_KEY.matcher(m).replaceAll("$1" + REDACTED + "$2");
        m = SK_KEY.matcher(m).replaceAll("sk-" + REDACTED);
        m = GOOGLE_KEY.matcher(m).replaceAll("AIza" + REDACTED);
        m = BEARER.matcher(m).replaceAll("$1" + REDACTED);
        return URL_SECRET.matcher(m).replaceAll("$1" + REDACTED);
    }

    /** At most {@code max} characters of {@code text}, marked when cut. */
    public static String bounded(String text, int max) {
        if (text == null || text.length() <= max) return text;
        return text.substring(0, max) + "... (" + (text.length() - max) + " more characters not shown)";
    }

    private static List<String> credentialsOf(Deployment d) {
        List<String> out = new ArrayList<>();
        if (d.apiKey() != null) out.add(d.apiKey());
        out.addAll(UrlCredentials.secrets(d.apiBase()));
        if (d.params() != null) {
            for (Map.Entry<String, JsonNode> f : d.params().properties()) {
                if (SecretParams.isSecret(f.getKey()) && f.getValue().isTextual()) out.add(f.getValue().asText());
            }
        }
        return out;
    }

    /**
     * @param provider     provider name as users know it ("openai", "anthropic", ...)
     * @param status       the provider's HTTP status
     * @param message      the provider's error message (or the raw body when it was not JSON)
     * @param providerCode the provider's own error code or type, may be null
     * @param headers      the provider's response headers (Retry-After is carried over), may be null
     */
    public static GatewayException map(String provider, int status, String message, String providerCode, MultiMap headers) {
        String text = provider + " returned " + status + ": " + (message == null || message.isBlank() ? "(no message)" : message);
        String codeLower = providerCode == null ? "" : providerCode.toLowerCase(Locale.ROOT);
        if (status == 400 || status == 422 || status == 413) {
            if (CONTEXT.matcher(message == null ? "" : message).find() || codeLower.contains("context_length")) {
                return GatewayException.contextLengthExceeded(text);
            }
            if (POLICY.matcher(message == null ? "" : message).find() || codeLower.contains("content_filter") || codeLower.contains("content_policy")) {
                return GatewayException.contentPolicy(text);
            }
            return GatewayException.badRequestWithCode(text, providerCode == null ? null : codeLower);
        }
        GatewayException e = switch (status) {
            case 401 -> GatewayException.invalidKey(text);
            case 403 -> GatewayException.permission(text);
            case 404 -> GatewayException.modelNotFoundUpstream(text);
            case 408 -> GatewayException.timeout(text);
            case 429 -> GatewayException.rateLimited(text, 1);
            case 503, 529 -> GatewayException.unavailable(text);
            case 504 -> GatewayException.timeout(text);
            default -> GatewayException.upstream(text);
        };
        String retryAfter = headers == null ? null : headers.get("retry-after");
        if (retryAfter != null && (status == 429 || status == 503 || status == 529)) {
            e = e.withHeader("Retry-After", retryAfter);
        }
        return e;
    }
}
