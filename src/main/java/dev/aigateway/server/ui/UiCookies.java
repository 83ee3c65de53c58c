package dev.aigateway.server.ui;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;

/**
 * The session cookie: HttpOnly (scripts never see the id), SameSite=Strict (never sent on cross-site requests),
 * Path=/ (the UI calls the API at the root), Secure when the request came over TLS, directly or through a proxy that
 * says so in {@code X-Forwarded-Proto}. No Max-Age: the server's idle timeout decides how long it is good for.
 */
public final class UiCookies {
    public static final String SESSION = "aigw_session";

    private UiCookies() {}

    public static Cookie session(HttpServerRequest req, String id) {
        return base(Cookie.cookie(SESSION, id), req);
    }

    /** Deletes the cookie in the browser (logout, or a session that is no longer known). */
    public static Cookie cleared(HttpServerRequest req) {
        return base(Cookie.cookie(SESSION, ""), req).setMaxAge(0);
    }

    private static Cookie base(Cookie c, HttpServerRequest req) {
        return c.setHttpOnly(true).setSameSite(CookieSameSite.STRICT).setPath("/").setSecure(overTls(req));
    }

    /** TLS to this process, or to the proxy in front of it (the first X-Forwarded-Proto value, as proxies chain them). */
    static boolean overTls(HttpServerRequest req) {
        if (req.isSSL()) return true;
        String proto = req.getHeader("x-forwarded-proto");
        if (proto == null) return false;
        int comma = proto.indexOf(',');
        return (comma < 0 ? proto : proto.substring(0, comma)).strip().equalsIgnoreCase("https");
    }
}
