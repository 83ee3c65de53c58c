package dev.aigateway.server;

import dev.aigateway.config.TrustedProxies;
import dev.aigateway.core.GatewayException;
import dev.aigateway.governance.Authenticator;
import dev.aigateway.governance.MasterKeyFallback;
import dev.aigateway.governance.Principal;
import dev.aigateway.server.ui.SessionAuth;
import io.vertx.core.http.HttpServerRequest;

/**
 * Who calls: the pipeline's authentication step, from headers only and from memory (no body is read for an unknown
 * caller). One instance serves every event loop: everything it holds is immutable or safe for concurrent use.
 */
final class RequestAuth {
    private final Authenticator authenticator;
    private final MasterKeyFallback masterKeyFallback;
    /** The admin UI's sessions: consulted only for requests that present no key. */
    private final SessionAuth sessions;
    private final TrustedProxies trustedProxies;

    RequestAuth(Authenticator authenticator, MasterKeyFallback masterKeyFallback, SessionAuth sessions, TrustedProxies trustedProxies) {
        this.authenticator = authenticator;
        this.masterKeyFallback = masterKeyFallback;
        this.sessions = sessions;
        this.trustedProxies = trustedProxies;
    }

    Principal authenticate(RequestContext ctx) {
        return authenticate(ctx, ctx.callType() != null);
    }

    /** @param llmRoute whether the route is an LLM route (the master key's first-run rule applies), billed or not */
    Principal authenticate(RequestContext ctx, boolean llmRoute) {
        Principal p = principal(ctx.request());
        if (llmRoute) masterKeyFallback.check(p); // LLM routes only: the first-run rule
        ctx.authenticatedAs(p);
        checkAllowedRoutes(p, ctx);
        return p;
    }

    /** Admin routes: the master key, or a key with an admin key_type (whose allowed_routes include the route). */
    Principal authenticateAdmin(RequestContext ctx) {
        Principal p = principal(ctx.request());
        ctx.authenticatedAs(p);
        checkAllowedRoutes(p, ctx);
        if (!p.admin()) throw GatewayException.permission("This route needs the master key or an admin key (key_type 'management').");
        return p;
    }

    /**
     * A key's allowed_routes bind it on every route it authenticates on, admin routes included. The message does not
     * repeat the path: on {@code /key/{key}/regenerate} it holds a key.
     */
    private static void checkAllowedRoutes(Principal p, RequestContext ctx) {
        HttpServerRequest req = ctx.request();
        if (p.key() != null && !p.key().allowsRoute(Routes.normalize(req.path()))) {
            throw GatewayException.permission("This key may not call " + req.method() + " on this route: its allowed_routes are "
                    + p.key().allowedRoutes() + ".");
        }
    }

    /**
     * The caller: by the key it presents; with no key at all, by an admin UI session (cookie + CSRF token), if any.
     * A client address that sent too many wrong keys this minute gets 429 (the address is only worked out when the
     * throttle has something to say: after a wrong key, or while some address is over its limit).
     */
    private Principal principal(HttpServerRequest req) {
        String key = presentedKey(req);
        if (key == null) {
            Principal session = sessions.authenticate(req);
            if (session != null) return session;
        }
        Authenticator auth = authenticator;
        if (key != null && auth.throttling()) auth.checkThrottle(ClientAddress.of(req, trustedProxies));
        try {
            return auth.authenticate(key);
        } catch (GatewayException e) {
            if (key != null && e.status() == 401 && auth.countsInvalidKeys()) throw auth.invalidKeyFrom(ClientAddress.of(req, trustedProxies), e);
            throw e;
        }
    }

    /** The caller's key: Authorization Bearer, or x-api-key (Anthropic clients), or api-key (Azure clients). */
    static String presentedKey(HttpServerRequest req) {
        String auth = req.getHeader("authorization");
        if (auth != null) {
            String a = auth.strip();
            if (a.regionMatches(true, 0, "Bearer ", 0, 7)) return a.substring(7).strip();
            return a;
        }
        String k = req.getHeader("x-api-key");
        if (k == null) k = req.getHeader("api-key");
        return k == null ? null : k.strip();
    }
}
