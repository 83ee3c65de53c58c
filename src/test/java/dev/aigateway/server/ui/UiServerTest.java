package dev.aigateway.server.ui;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.config.ConfigLoader;
import dev.aigateway.server.GatewayServer;
import dev.aigateway.testing.MutableClock;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The UI's server side over real HTTP: static files (types, caching, traversal refused), login and its cookie,
 * CSRF protection of the session, session expiry and logout, the login rate limit, username/password login, and the
 * two admin endpoints the UI adds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UiServerTest {
    static final String CONFIG = """
            model_list:
              - model_name: mock-chat
                litellm_params:
                  model: mock/mock-chat
                  mock_response: "pong"
              - model_name: broken
                litellm_params:
                  model: mock/broken
                  mock_error_status: 401
            """;
    TestGateway gw;

    @BeforeAll
    void start() {
        gw = TestGateway.start(CONFIG, Map.of("UI_USERNAME", "admin", "UI_PASSWORD", "correct horse battery staple",
                "UI_LOGIN_ATTEMPTS_PER_MINUTE", "1000"));
    }

    @AfterAll
    void stop() {
        gw.close();
    }

    // --- helpers

    record Login(String cookie, String csrf, HttpResponse<String> response) {}

    static Login login(String baseUrl, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + "/ui/login")).timeout(Duration.ofSeconds(10))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        HttpResponse<String> r = TestGateway.send(b.build());
        String cookie = r.headers().firstValue("set-cookie").map(c -> c.substring(0, c.indexOf(';'))).orElse(null);
        String csrf = r.statusCode() == 200 ? TestGateway.json(r).path("csrf_token").asText() : null;
        return new Login(cookie, csrf, r);
    }

    Login loginMaster() {
        Login l = login(gw.baseUrl(), "{\"master_key\": \"" + TestGateway.MASTER_KEY + "\"}");
        assertThat(l.response().statusCode()).isEqualTo(200);
        return l;
    }

    static HttpResponse<String> callAt(String baseUrl, String method, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("content-type", "application/json");
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return TestGateway.send(b.build());
    }

    HttpResponse<String> call(String method, String path, String body, String... headers) {
        return callAt(gw.baseUrl(), method, path, body, headers);
    }

    /** A request exactly as written (no client-side path normalisation), answered as text. */
    String raw(String path) throws IOException {
        try (Socket s = new Socket("127.0.0.1", gw.server().port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            return buf.toString(StandardCharsets.UTF_8);
        }
    }

    // --- static files

    @Test
    void theUiIsServedWithTypesAndCachingHeaders() {
        HttpResponse<String> bare = call("GET", "/ui", null);
        assertThat(bare.statusCode()).isEqualTo(302);
        assertThat(bare.headers().firstValue("location")).as("relative, so a proxy's prefix is kept").hasValue("ui/");

        HttpResponse<String> index = call("GET", "/ui/", null);
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(index.headers().firstValue("cache-control")).hasValue("no-cache");
        assertThat(index.headers().firstValue("content-security-policy").orElseThrow()).contains("script-src 'self'").contains("frame-ancestors 'none'");
        assertThat(index.headers().firstValue("x-content-type-options")).hasValue("nosniff");
        assertThat(index.body()).contains("<script type=\"module\" src=\"js/app.js\">");

        HttpResponse<String> js = call("GET", "/ui/js/app.js", null);
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("content-type")).hasValue("text/javascript; charset=utf-8");
        assertThat(js.headers().firstValue("cache-control")).hasValue("no-cache");
        String etag = js.headers().firstValue("etag").orElseThrow();
        HttpResponse<String> again = call("GET", "/ui/js/app.js", null, "if-none-match", etag);
        assertThat(again.statusCode()).as("revalidated, not re-sent").isEqualTo(304);
        assertThat(again.body()).isEmpty();

        assertThat(call("GET", "/ui/app.css", null).headers().firstValue("content-type")).hasValue("text/css; charset=utf-8");
        assertThat(call("GET", "/ui/favicon.svg", null).headers().firstValue("content-type")).hasValue("image/svg+xml");
        HttpResponse<String> vendor = call("GET", "/ui/vendor/uplot-1.6.32/uPlot.iife.min.js", null);
        assertThat(vendor.statusCode()).isEqualTo(200);
        assertThat(vendor.headers().firstValue("cache-control")).hasValue("public, max-age=31536000, immutable");
        assertThat(vendor.body()).contains("uPlot");
    }

    @Test
    void unknownAssetsAreJson404s() {
        HttpResponse<String> r = call("GET", "/ui/js/nope.js", null);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(TestGateway.json(r).at("/error/message").asText()).contains("no file 'js/nope.js'");
        assertThat(call("GET", "/ui/js", null).statusCode()).as("a directory is not a file").isEqualTo(404);
        assertThat(call("GET", "/ui/js/", null).statusCode()).isEqualTo(404);
        assertThat(call("POST", "/ui/js/app.js", "{}").statusCode()).isEqualTo(405);
    }

    @Test
    void pathsOutsideTheUiDirectoryAreRefused() throws IOException {
        for (String path : List.of("/ui/../pom.xml", "/ui/../pricing/NOTICE.md", "/ui/js/../../pricing/NOTICE.md", "/ui/%2e%2e/pricing/NOTICE.md",
                "/ui/..%2fpricing/NOTICE.md", "/ui/js/..%2f..%2fpricing/NOTICE.md", "/ui/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/ui//etc/passwd",
                "/ui/..\\pricing/NOTICE.md", "/ui/../db/migration/sqlite/V1__gateway_meta.sql", "/ui/.env", "/ui/vendor/../../pricing/NOTICE.md",
                "/ui/%252e%252e/pricing/NOTICE.md", "/ui/js/app.js%00.png", "/ui/../pricing/NOTICE.md", "/ui/js/../../pricing/model_prices.json",
                "/ui/..%2fpricing%2fNOTICE.md", "/ui/%2e%2e/pricing/model_prices.json")) {
            String answer = raw(path);
            assertThat(answer).as(path).startsWith("HTTP/1.1 404").contains("\"code\":\"not_found\"")
                    .doesNotContain("<configuration").doesNotContain("CREATE TABLE").doesNotContain("root:")
                    .doesNotContain("input_cost_per_token").doesNotContain("LiteLLM");
        }
    }

    // --- login and cookie

    @Test
    void loginSetsAnHttpOnlyStrictSessionCookieSecureOnlyOverTls() {
        Login plain = loginMaster();
        String setCookie = plain.response().headers().firstValue("set-cookie").orElseThrow();
        assertThat(setCookie).startsWith(UiCookies.SESSION + "=");
        assertThat(setCookie.toLowerCase()).contains("httponly").contains("samesite=strict").contains("path=/").doesNotContain("secure")
                .doesNotContain("max-age");
        assertThat(plain.cookie().length()).isEqualTo(UiCookies.SESSION.length() + 1 + 43);
        JsonNode body = TestGateway.json(plain.response());
        assertThat(body.path("user").asText()).isEqualTo("master-key");
        assertThat(body.path("idle_timeout_seconds").asLong()).isEqualTo(12 * 3600);
        assertThat(body.path("csrf_token").asText()).hasSize(43).isNotEqualTo(plain.cookie().substring(UiCookies.SESSION.length() + 1));
        assertThat(body.toString()).doesNotContain(TestGateway.MASTER_KEY);

        Login proxied = login(gw.baseUrl(), "{\"master_key\": \"" + TestGateway.MASTER_KEY + "\"}", "x-forwarded-proto", "https");
        assertThat(proxied.response().headers().firstValue("set-cookie").orElseThrow().toLowerCase()).contains("; secure");
    }

    @Test
    void aWrongKeyIsRefusedWithAReadableMessageAndNoCookie() {
        Login wrong = login(gw.baseUrl(), "{\"master_key\": \"sk-wrong\"}");
        assertThat(wrong.response().statusCode()).isEqualTo(401);
        assertThat(wrong.cookie()).isNull();
        assertThat(TestGateway.json(wrong.response()).at("/error/message").asText()).contains("Wrong master key");
        Login empty = login(gw.baseUrl(), "{}");
        assertThat(empty.response().statusCode()).isEqualTo(400);
        assertThat(TestGateway.json(empty.response()).at("/error/message").asText()).contains("master key");
        HttpResponse<String> form = TestGateway.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/ui/login"))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("master_key=" + TestGateway.MASTER_KEY)).build());
        assertThat(form.statusCode()).as("a cross-site HTML form cannot log in").isEqualTo(400);
        assertThat(form.headers().firstValue("set-cookie")).isEmpty();
    }

    @Test
    void usernameAndPasswordLogInWhenConfigured() {
        JsonNode session = TestGateway.json(call("GET", "/ui/session", null));
        assertThat(session.path("authenticated").asBoolean()).isFalse();
        assertThat(session.at("/login/password").asBoolean()).isTrue();
        Login ok = login(gw.baseUrl(), "{\"username\": \"admin\", \"password\": \"correct horse battery staple\"}");
        assertThat(ok.response().statusCode()).isEqualTo(200);
        assertThat(TestGateway.json(ok.response()).path("user").asText()).isEqualTo("admin");
        assertThat(login(gw.baseUrl(), "{\"username\": \"admin\", \"password\": \"wrong\"}").response().statusCode()).isEqualTo(401);
        assertThat(login(gw.baseUrl(), "{\"username\": \"root\", \"password\": \"correct horse battery staple\"}").response().statusCode()).isEqualTo(401);
        HttpResponse<String> keys = call("GET", "/key/list", null, "cookie", ok.cookie(), "x-csrf-token", ok.csrf());
        assertThat(keys.statusCode()).as("the password login acts as the master key").isEqualTo(200);
    }

    // --- the session as an authentication source, and CSRF

    @Test
    void aSessionWithItsCsrfTokenActsAsTheMasterKey() {
        Login l = loginMaster();
        HttpResponse<String> created = call("POST", "/key/generate", "{\"key_alias\": \"from-ui-session\"}", "cookie", l.cookie(), "x-csrf-token", l.csrf());
        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(TestGateway.json(created).path("key").asText()).startsWith("sk-");
        HttpResponse<String> chat = call("POST", "/v1/chat/completions", "{\"model\": \"mock-chat\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}",
                "cookie", l.cookie(), "x-csrf-token", l.csrf());
        assertThat(chat.statusCode()).isEqualTo(200);
        assertThat(TestGateway.json(chat).at("/choices/0/message/content").asText()).isEqualTo("pong");
        JsonNode session = TestGateway.json(call("GET", "/ui/session", null, "cookie", l.cookie()));
        assertThat(session.path("authenticated").asBoolean()).isTrue();
        assertThat(session.path("csrf_token").asText()).isEqualTo(l.csrf());
    }

    @Test
    void writesWithTheSessionCookieButWithoutTheCsrfTokenAreRefused() {
        Login l = loginMaster();
        HttpResponse<String> none = call("POST", "/key/generate", "{}", "cookie", l.cookie());
        assertThat(none.statusCode()).isEqualTo(403);
        assertThat(TestGateway.json(none).at("/error/message").asText()).contains("X-CSRF-Token");
        HttpResponse<String> wrong = call("POST", "/model/new", "{\"model_name\": \"x\", \"litellm_params\": {\"model\": \"mock/x\"}}",
                "cookie", l.cookie(), "x-csrf-token", "not-the-token");
        assertThat(wrong.statusCode()).isEqualTo(403);
        HttpResponse<String> otherSessionsToken = call("POST", "/key/generate", "{}", "cookie", l.cookie(), "x-csrf-token", loginMaster().csrf());
        assertThat(otherSessionsToken.statusCode()).as("a token only works with its own session").isEqualTo(403);
        assertThat(call("POST", "/ui/logout", "{}", "cookie", l.cookie()).statusCode()).as("logout needs the token too").isEqualTo(403);
        assertThat(TestGateway.json(gw.get("/model/info", TestGateway.MASTER_KEY)).toString()).doesNotContain("\"model_name\":\"x\"");

        HttpResponse<String> readWithoutToken = call("GET", "/key/list", null, "cookie", l.cookie());
        assertThat(readWithoutToken.statusCode()).as("a read without the token ignores the cookie").isEqualTo(401);
        assertThat(TestGateway.json(readWithoutToken).at("/error/message").asText()).contains("No API key");
        HttpResponse<String> bearerWins = call("GET", "/key/list", null, "cookie", l.cookie(), "x-csrf-token", l.csrf(), "authorization", "Bearer sk-wrong");
        assertThat(bearerWins.statusCode()).as("a presented key is always what counts").isEqualTo(401);
    }

    @Test
    void logoutEndsTheSession() {
        Login l = loginMaster();
        HttpResponse<String> out = call("POST", "/ui/logout", "{}", "cookie", l.cookie(), "x-csrf-token", l.csrf());
        assertThat(out.statusCode()).isEqualTo(200);
        assertThat(out.headers().firstValue("set-cookie").orElseThrow().toLowerCase()).startsWith(UiCookies.SESSION + "=;").contains("max-age=0");
        HttpResponse<String> after = call("GET", "/key/list", null, "cookie", l.cookie(), "x-csrf-token", l.csrf());
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(TestGateway.json(after).at("/error/code").asText()).isEqualTo("session_expired");
    }

    @Test
    void theUiEndpointsNeedAnAdmin() {
        String body = "{\"litellm_params\": {\"model\": \"mock/x\"}}";
        assertThat(call("POST", "/model/test", body).statusCode()).isEqualTo(401);
        assertThat(call("GET", "/ui/api/deployments", null).statusCode()).isEqualTo(401);
        String key = TestGateway.json(gw.post("/key/generate", "{}")).path("key").asText();
        assertThat(call("POST", "/model/test", body, "authorization", "Bearer " + key).statusCode()).isEqualTo(403);
        assertThat(call("GET", "/ui/api/deployments", null, "authorization", "Bearer " + key).statusCode()).isEqualTo(403);
    }

    // --- the endpoints the UI adds

    @Test
    void modelTestCallsTheModelWithoutStoringIt() {
        String master = "Bearer " + TestGateway.MASTER_KEY;
        JsonNode ok = TestGateway.json(call("POST", "/model/test", "{\"model_name\": \"t\", \"litellm_params\": {\"model\": \"mock/t\"}}", "authorization", master));
        assertThat(ok.path("ok").asBoolean()).isTrue();
        assertThat(ok.at("/deployment/model").asText()).isEqualTo("mock/t");
        JsonNode refused = TestGateway.json(call("POST", "/model/test", "{\"litellm_params\": {\"model\": \"mock/t\", \"mock_error_status\": 401}}", "authorization", master));
        assertThat(refused.path("ok").asBoolean()).isFalse();
        assertThat(refused.at("/error/status").asInt()).isEqualTo(401);
        assertThat(refused.at("/error/message").asText()).contains("401");
        HttpResponse<String> invalid = call("POST", "/model/test", "{\"litellm_params\": {\"model\": \"nope/t\"}}", "authorization", master);
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(TestGateway.json(invalid).at("/error/message").asText()).contains("unknown provider 'nope'");
        String brokenId = TestGateway.json(gw.get("/model/info", TestGateway.MASTER_KEY)).path("data").findParents("model_name").stream()
                .filter(n -> n.path("model_name").asText().equals("broken")).findFirst().orElseThrow().at("/model_info/id").asText();
        JsonNode saved = TestGateway.json(call("POST", "/model/test", "{\"model_info\": {\"id\": \"" + brokenId + "\"}}", "authorization", master));
        assertThat(saved.path("ok").asBoolean()).as("a saved model is tested as it is served").isFalse();
        assertThat(TestGateway.json(gw.get("/v1/models", TestGateway.MASTER_KEY)).toString()).doesNotContain("\"t\"");
    }

    @Test
    void deploymentsShowTheRoutersView() {
        gw.post("/v1/chat/completions", "{\"model\": \"mock-chat\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");
        JsonNode r = TestGateway.json(call("GET", "/ui/api/deployments", null, "authorization", "Bearer " + TestGateway.MASTER_KEY));
        JsonNode chat = r.path("deployments").findParents("model_name").stream().filter(n -> n.path("model_name").asText().equals("mock-chat"))
                .findFirst().orElseThrow();
        assertThat(chat.path("status").asText()).isEqualTo("healthy");
        assertThat(chat.path("model").asText()).isEqualTo("mock/mock-chat");
        assertThat(chat.path("in_flight").asInt()).isZero();
        assertThat(chat.path("requests_this_minute").asLong()).isPositive();
        assertThat(chat.has("cooldown_until")).isTrue();
        assertThat(r.toString()).doesNotContain("api_key");
    }

    // --- gateways of their own: rate limit and expiry

    @Test
    void loginAttemptsAreLimitedPerClientAddress() {
        try (TestGateway own = TestGateway.start(CONFIG)) {
            for (int i = 0; i < 10; i++) {
                assertThat(login(own.baseUrl(), "{\"master_key\": \"sk-guess-" + i + "\"}").response().statusCode()).isEqualTo(401);
            }
            Login limited = login(own.baseUrl(), "{\"master_key\": \"" + TestGateway.MASTER_KEY + "\"}");
            assertThat(limited.response().statusCode()).as("even the right key waits: the limit counts attempts").isEqualTo(429);
            assertThat(limited.cookie()).isNull();
            assertThat(limited.response().headers().firstValue("retry-after")).isPresent();
            assertThat(TestGateway.json(limited.response()).at("/error/message").asText()).contains("Too many login attempts");
            Login behindProxy = login(own.baseUrl(), "{\"master_key\": \"" + TestGateway.MASTER_KEY + "\"}", "x-forwarded-for", "203.0.113.7");
            assertThat(behindProxy.response().statusCode()).as("a proxy on this machine names the real client").isEqualTo(200);
        }
    }

    @Test
    void forwardedForCountsOnlyWhenTheTrustedProxySendsIt() {
        // Nginx on another host: only it may name the client. This machine's loopback is then an ordinary client.
        try (TestGateway own = TestGateway.start(CONFIG + """
                general_settings:
                  trusted_proxies: ["10.0.0.0/8"]
                """)) {
            for (int i = 0; i < 10; i++) {
                Login guess = login(own.baseUrl(), "{\"master_key\": \"sk-guess-" + i + "\"}", "x-forwarded-for", "203.0.113." + i);
                assertThat(guess.response().statusCode()).as("a made-up X-Forwarded-For picks no fresh bucket").isEqualTo(401);
            }
            Login spoofed = login(own.baseUrl(), "{\"master_key\": \"" + TestGateway.MASTER_KEY + "\"}", "x-forwarded-for", "198.51.100.99");
            assertThat(spoofed.response().statusCode()).as("all ten counted for the real peer").isEqualTo(429);
        }
    }

    @Test
    void anIdleSessionExpires() throws IOException {
        Path dir = Files.createTempDirectory("ui-expiry");
        Files.writeString(dir.resolve("config.yaml"), CONFIG);
        Map<String, String> env = new HashMap<>();
        env.put("GATEWAY_MASTER_KEY", TestGateway.MASTER_KEY);
        env.put("UI_SESSION_IDLE_TIMEOUT", "10m");
        MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
        try (GatewayServer server = GatewayServer.start(ConfigLoader.load(Map.of("GATEWAY_PORT", Integer.toString(TestGateway.freePort())), env, dir), clock)) {
            String base = "http://127.0.0.1:" + server.port();
            Login l = login(base, "{\"master_key\": \"" + TestGateway.MASTER_KEY + "\"}");
            assertThat(TestGateway.json(l.response()).path("idle_timeout_seconds").asLong()).isEqualTo(600);
            clock.advance(Duration.ofMinutes(9));
            assertThat(callAt(base, "GET", "/key/list", null, "cookie", l.cookie(), "x-csrf-token", l.csrf()).statusCode()).isEqualTo(200);
            clock.advance(Duration.ofMinutes(9));
            assertThat(callAt(base, "GET", "/key/list", null, "cookie", l.cookie(), "x-csrf-token", l.csrf()).statusCode())
                    .as("used 9 minutes ago: still alive").isEqualTo(200);
            clock.advance(Duration.ofMinutes(10));
            HttpResponse<String> expired = callAt(base, "POST", "/key/generate", "{}", "cookie", l.cookie(), "x-csrf-token", l.csrf());
            assertThat(expired.statusCode()).isEqualTo(401);
            assertThat(TestGateway.json(expired).at("/error/code").asText()).isEqualTo("session_expired");
            assertThat(TestGateway.json(expired).at("/error/message").asText()).contains("session has expired");
            HttpResponse<String> session = callAt(base, "GET", "/ui/session", null, "cookie", l.cookie());
            assertThat(TestGateway.json(session).path("authenticated").asBoolean()).isFalse();
            assertThat(TestGateway.json(session).path("expired").asBoolean()).isTrue();
            assertThat(session.headers().firstValue("set-cookie").orElseThrow().toLowerCase()).contains("max-age=0");
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
