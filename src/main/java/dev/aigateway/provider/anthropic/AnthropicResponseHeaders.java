package dev.aigateway.provider.anthropic;

import io.vertx.core.MultiMap;

import java.util.Locale;
import java.util.Map;

/**
 * The headers of Anthropic's answer that a passed-through answer carries back to the client, as Anthropic named them:
 * {@code request-id} (what Anthropic's support asks for, and what its SDKs print beside an error) and the
 * {@code anthropic-ratelimit-*} family (Claude Code and the SDKs read them to pace themselves). Nothing else: not the
 * organization id, cookies or the upstream's framing headers. Bounded, since an upstream is not trusted to be small.
 */
final class AnthropicResponseHeaders {
    static final String REQUEST_ID = "request-id";
    static final String RATE_LIMIT_PREFIX = "anthropic-ratelimit-";
    /** More than Anthropic sends (about 20 rate-limit headers with the unified family). */
    static final int MAX_HEADERS = 40;
    static final int MAX_VALUE_CHARS = 256;

    private AnthropicResponseHeaders() {}

    static MultiMap forwarded(MultiMap upstream) {
        MultiMap out = MultiMap.caseInsensitiveMultiMap();
        if (upstream == null) return out;
        int n = 0;
        for (Map.Entry<String, String> h : upstream) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (!name.equals(REQUEST_ID) && !name.startsWith(RATE_LIMIT_PREFIX)) continue;
            String value = h.getValue();
            if (value == null || value.length() > MAX_VALUE_CHARS || out.contains(name)) continue;
            out.add(name, value);
            if (++n == MAX_HEADERS) break;
        }
        return out;
    }
}
