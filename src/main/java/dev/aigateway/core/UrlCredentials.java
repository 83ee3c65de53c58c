package dev.aigateway.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Credentials written into a URL such as an {@code api_base}: a {@code user:password@} before the host, and the values
 * of its query string ({@code ?api-key=...}, {@code ?key=...}, {@code ?sig=...}). Such a URL is a credential: it is
 * stored encrypted ({@link SecretParams}) and only ever shown in its {@link #masked} form.
 *
 * <p>Every query value is masked, not only those whose name looks like a secret: guessing which names carry one
 * ({@code code}, {@code sv}, {@code st}...) is how a secret slips through, and an {@code api_base} that needs a
 * non-secret query parameter is rare (the API version has its own field).
 */
public final class UrlCredentials {
    /** What stands in for a credential in a shown URL. */
    public static final String MASK = "***";

    private UrlCredentials() {}

    /** The URL with its user info and every query value replaced by {@value #MASK}; null stays null. */
    public static String masked(String url) {
        if (url == null) return null;
        Parts p = Parts.of(url);
        if (p.userInfoEnd < 0 && p.query < 0) return url;
        StringBuilder b = new StringBuilder(url.length());
        if (p.userInfoEnd >= 0) {
            b.append(url, 0, p.authority).append(MASK).append('@').append(url, p.userInfoEnd, p.query < 0 ? p.end : p.query);
        } else {
            b.append(url, 0, p.query);
        }
        if (p.query >= 0) {
            b.append('?');
            String[] pairs = url.substring(p.query + 1, p.end).split("&", -1);
            for (int i = 0; i < pairs.length; i++) {
                if (i > 0) b.append('&');
                int eq = pairs[i].indexOf('=');
                if (eq >= 0) b.append(pairs[i], 0, eq + 1).append(MASK);
                else if (!pairs[i].isEmpty()) b.append(MASK);
            }
        }
        // a fragment is never sent to a server: dropped
        return b.toString();
    }

    /**
     * The URL with its user info, query string and fragment left out (not masked): what is left names the server and
     * path only; null stays null. Allocates only when there is something to leave out.
     */
    public static String withoutCredentials(String url) {
        if (url == null) return null;
        Parts p = Parts.of(url);
        int end = p.query < 0 ? p.end : p.query;
        if (p.userInfoEnd < 0) return end == url.length() ? url : url.substring(0, end);
        return url.substring(0, p.authority) + url.substring(p.userInfoEnd, end);
    }

    /** Whether the URL carries a credential (user info or a query string). */
    public static boolean holdsCredential(String url) {
        return url != null && !url.equals(masked(url));
    }

    /** The credential parts of a URL (user info, its password, each query value), for redacting them from text. */
    public static List<String> secrets(String url) {
        List<String> out = new ArrayList<>();
        if (url == null) return out;
        Parts p = Parts.of(url);
        if (p.userInfoEnd >= 0) {
            String info = url.substring(p.authority, p.userInfoEnd - 1);
            out.add(info);
            int colon = info.indexOf(':');
            if (colon >= 0) out.add(info.substring(colon + 1));
        }
        if (p.query >= 0) {
            for (String pair : url.substring(p.query + 1, p.end).split("&")) {
                int eq = pair.indexOf('=');
                String v = eq >= 0 ? pair.substring(eq + 1) : pair;
                if (!v.isEmpty()) out.add(v);
            }
        }
        return out;
    }

    /**
     * Where the parts of a URL start, found by scanning rather than {@link java.net.URI}: a value an admin typed need
     * not be a valid URI, and it must be masked all the same.
     *
     * @param authority   index after {@code scheme://} (0 when there is no scheme)
     * @param userInfoEnd index after the {@code @} that ends the user info, or -1
     * @param query       index of the {@code ?}, or -1
     * @param end         index of the {@code #}, else the length
     */
    private record Parts(int authority, int userInfoEnd, int query, int end) {
        static Parts of(String url) {
            int end = url.indexOf('#');
            if (end < 0) end = url.length();
            int query = url.indexOf('?');
            if (query >= end) query = -1;
            int scheme = url.indexOf("://");
            int authority = scheme >= 0 && (query < 0 || scheme < query) ? scheme + 3 : 0;
            int authorityEnd = query < 0 ? end : query;
            int slash = url.indexOf('/', authority);
            if (slash >= 0 && slash < authorityEnd) authorityEnd = slash;
            int at = url.lastIndexOf('@', authorityEnd - 1);
            int userInfoEnd = at >= authority ? at + 1 : -1;
            return new Parts(authority, userInfoEnd, query, end);
        }
    }
}
