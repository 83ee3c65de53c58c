package dev.aigateway.server.ui;

import dev.aigateway.config.UiSettings;
import dev.aigateway.core.GatewayException;
import dev.aigateway.governance.Authenticator;
import dev.aigateway.governance.Principal;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The admin UI as an authentication source of the request pipeline, consulted only when a request presents no key.
 * A request with a live session cookie and the session's token in {@code X-CSRF-Token} acts as the master key:
 * the UI calls the ordinary admin API ({@code /key/*}, {@code /model/*}, {@code /spend/*}, {@code /health}) and the
 * chat route with its session instead of a bearer key.
 *
 * <p>Why the token: a browser attaches the cookie to any request to this origin. SameSite=Strict already keeps it off
 * cross-site requests; the token (which another site cannot read) makes a forged write fail even where SameSite does
 * not hold (old browsers, a sibling subdomain). So: a state-changing request with the cookie but without the right
 * token is refused with 403; a read without a token is treated as if the cookie were not there.
 */
public final class SessionAuth {
    public static final String CSRF_HEADER = "x-csrf-token";

    private final UiSessions sessions;
    private final Principal masterPrincipal;

    SessionAuth(UiSettings settings, UiSessions sessions) {
        this.sessions = sessions;
        this.masterPrincipal = settings.open() ? null : new Principal(Authenticator.hash(settings.masterKey()), "ui", true, null);
    }

    /**
     * The principal of a request that presented no key: the master key's, for a live session with its CSRF token;
     * null when there is no session to consider (the pipeline then treats the request as keyless).
     *
     * @throws GatewayException 401 when the session has expired or was logged out, 403 for a write without the token
     */
    public Principal authenticate(HttpServerRequest req) {
        if (masterPrincipal == null) return null; // open gateway: everyone is an admin already
        Cookie cookie = req.getCookie(UiCookies.SESSION);
        if (cookie == null) return null;
        String token = req.getHeader(CSRF_HEADER);
        boolean safe = isSafe(req.method());
        if (token == null || token.isEmpty()) {
            if (safe) return null;
            throw GatewayException.permission("This request carries an admin UI session cookie but no X-CSRF-Token header, so it was "
                    + "refused (cross-site request protection). The UI sends the token from /ui/session with every call.");
        }
        UiSession s = sessions.touch(cookie.getValue());
        if (s == null) throw expired();
        if (!constantTimeEquals(token, s.csrfToken())) {
            if (safe) return null;
            throw GatewayException.permission("The X-CSRF-Token header does not match this admin UI session; reload the page.");
        }
        return new Principal(masterPrincipal.keyHash(), "ui:" + s.user(), true, null);
    }

    /** The live session named by the request's cookie, or null. */
    public UiSession session(HttpServerRequest req) {
        Cookie cookie = req.getCookie(UiCookies.SESSION);
        return cookie == null ? null : sessions.touch(cookie.getValue());
    }

    static GatewayException expired() {
        return GatewayException.sessionExpired(
                "Your admin UI session has expired or was logged out. Log in again.");
    }

    static boolean isSafe(HttpMethod m) {
        return m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS;
    }

    static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
