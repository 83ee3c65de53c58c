package dev.aigateway.server.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.config.TrustedProxies;
import dev.aigateway.config.UiSettings;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.governance.Authenticator;
import dev.aigateway.server.ClientAddress;
import dev.aigateway.server.RequestContext;
import dev.aigateway.server.RequestPipeline;
import dev.aigateway.server.Responses;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /ui/login}, {@code POST /ui/logout} and {@code GET /ui/session}.
 *
 * <p>Login takes {@code {"master_key": "sk-..."}} or, when UI_USERNAME/UI_PASSWORD are set,
 * {@code {"username", "password"}}; it answers with the CSRF token and sets the session cookie. Only JSON bodies are
 * accepted, which a cross-site HTML form cannot send. Attempts are throttled per client address ({@link ClientAddress}:
 * X-Forwarded-For only from a trusted proxy).
 */
final class LoginHandler {
    private static final Logger LOG = LoggerFactory.getLogger(LoginHandler.class);
    private static final long MAX_BODY = 16 * 1024;
    private static final String MASTER_USER = "master-key";

    private final RequestPipeline pipeline;
    private final UiState state;
    private final TrustedProxies trustedProxies;
    private final String version;

    LoginHandler(RequestPipeline pipeline, UiState state, TrustedProxies trustedProxies, String version) {
        this.pipeline = pipeline;
        this.state = state;
        this.trustedProxies = trustedProxies;
        this.version = version;
    }

    void login(HttpServerRequest req) {
        RequestContext ctx = pipeline.begin(req);
        try {
            requireJson(req);
            String client = ClientAddress.of(req, trustedProxies);
            long wait = state.throttle().count(client);
            if (wait > 0) {
                LOG.warn("UI login throttled for {} (more than {} attempts a minute)", client, state.settings().loginAttemptsPerMinute());
                throw GatewayException.rateLimited("Too many login attempts from your address. Try again in " + wait + " s.", wait);
            }
            pipeline.readJsonOrEmpty(ctx, MAX_BODY).onComplete(ar -> {
                if (ar.failed()) {
                    Responses.error(ctx, ar.cause());
                    return;
                }
                try {
                    String user = check(ar.result());
                    if (user == null) {
                        LOG.warn("UI login refused for {}", client);
                        throw GatewayException.invalidKey(state.settings().passwordLogin()
                                ? "Wrong master key, or wrong username or password."
                                : "Wrong master key. Use the GATEWAY_MASTER_KEY from your .env (it starts with sk-).");
                    }
                    UiSession s = state.sessions().create(user);
                    req.response().addCookie(UiCookies.session(req, s.id()));
                    LOG.info("UI login for {} from {}", user, client);
                    Responses.json(ctx, 200, describe(s));
                } catch (RuntimeException e) {
                    Responses.error(ctx, e);
                }
            });
        } catch (RuntimeException e) {
            Responses.error(ctx, e);
        }
    }

    void logout(HttpServerRequest req) {
        RequestContext ctx = pipeline.begin(req);
        try {
            UiSession s = state.auth().session(req);
            if (s != null) {
                String token = req.getHeader(SessionAuth.CSRF_HEADER);
                if (token == null || !SessionAuth.constantTimeEquals(token, s.csrfToken())) {
                    throw GatewayException.permission("Logging out needs the session's X-CSRF-Token header (cross-site request protection).");
                }
                state.sessions().remove(s.id());
            }
            req.response().addCookie(UiCookies.cleared(req));
            ObjectNode out = Json.object();
            out.put("logged_out", true);
            Responses.json(ctx, 200, out);
        } catch (RuntimeException e) {
            Responses.error(ctx, e);
        }
    }

    /** What the page needs to start: whether it is logged in, its CSRF token, and which login forms to offer. */
    void session(HttpServerRequest req) {
        RequestContext ctx = pipeline.begin(req);
        UiSettings settings = state.settings();
        ObjectNode out;
        if (settings.open()) {
            out = Json.object();
            out.put("authenticated", true);
            out.put("user", "no-auth");
            out.put("csrf_token", "");
        } else {
            UiSession s = state.auth().session(req);
            if (s != null) {
                out = describe(s);
            } else {
                out = Json.object();
                out.put("authenticated", false);
                if (req.getCookie(UiCookies.SESSION) != null) {
                    out.put("expired", true);
                    req.response().addCookie(UiCookies.cleared(req));
                }
            }
        }
        ObjectNode auth = out.putObject("login");
        auth.put("open", settings.open());
        auth.put("password", settings.passwordLogin());
        out.put("version", version);
        ctx.response().putHeader("cache-control", "no-store");
        Responses.json(ctx, 200, out);
    }

    private ObjectNode describe(UiSession s) {
        ObjectNode out = Json.object();
        out.put("authenticated", true);
        out.put("user", s.user());
        out.put("csrf_token", s.csrfToken());
        out.put("idle_timeout_seconds", state.sessions().idleTimeoutMillis() / 1000);
        // how spend rows name the master key (its SHA-256, as /spend/logs shows it to admins), so the UI can label it
        out.put("master_key_token", Authenticator.hash(state.settings().masterKey()));
        out.put("version", version);
        return out;
    }

    /** The user a body logs in as, or null when its credentials are wrong. */
    private String check(ObjectNode body) {
        UiSettings settings = state.settings();
        if (settings.open()) return "no-auth";
        String key = text(body, "master_key");
        if (key != null) return SessionAuth.constantTimeEquals(key.strip(), settings.masterKey()) ? MASTER_USER : null;
        String user = text(body, "username");
        String pass = text(body, "password");
        if (user == null && pass == null) {
            throw GatewayException.badRequest(settings.passwordLogin()
                    ? "Enter the master key, or a username and password."
                    : "Enter the master key (master_key).", "master_key");
        }
        if (!settings.passwordLogin()) {
            throw GatewayException.badRequest("Username/password login is not set up on this gateway (UI_USERNAME and UI_PASSWORD); "
                    + "log in with the master key.", "username");
        }
        boolean userOk = SessionAuth.constantTimeEquals(user == null ? "" : user, settings.username());
        boolean passOk = SessionAuth.constantTimeEquals(pass == null ? "" : pass, settings.password());
        return userOk & passOk ? settings.username() : null;
    }

    private static String text(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isTextual()) throw GatewayException.badRequest("'" + field + "' must be a string.", field);
        return n.asText().isEmpty() ? null : n.asText();
    }

    private static void requireJson(HttpServerRequest req) {
        String type = req.getHeader("content-type");
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw GatewayException.badRequest("Send the login as JSON (Content-Type: application/json).", null);
        }
    }
}
