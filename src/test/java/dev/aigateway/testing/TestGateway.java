package dev.aigateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import dev.aigateway.config.ConfigLoader;
import dev.aigateway.core.Json;
import dev.aigateway.server.GatewayServer;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A real gateway started in-process for a test: its own temporary directory (config.yaml, SQLite),
 * a free loopback port, a known master key, and clients pointed at it.
 */
public final class TestGateway implements AutoCloseable {
    public static final String MASTER_KEY = "sk-test-master-0123456789abcdefghijklmnop";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path dir;
    private final GatewayServer server;

    private TestGateway(Path dir, GatewayServer server) {
        this.dir = dir;
        this.server = server;
    }

    public static TestGateway start(String configYaml) {
        return start(configYaml, Map.of());
    }

    public static TestGateway start(String configYaml, Map<String, String> extraEnv) {
        return start(configYaml, extraEnv, Clock.systemUTC());
    }

    /**
     * The same, with the clock cooldowns, key expiry, budgets and rate-limit windows are judged by: a test moves a
     * {@link MutableClock} instead of sleeping until the time has passed.
     */
    public static TestGateway start(String configYaml, Map<String, String> extraEnv, Clock clock) {
        try {
            Path dir = Files.createTempDirectory("gateway-test");
            Files.writeString(dir.resolve("config.yaml"), configYaml);
            Map<String, String> env = new HashMap<>();
            env.put("GATEWAY_MASTER_KEY", MASTER_KEY);
            env.putAll(extraEnv);
            Map<String, String> flags = Map.of("GATEWAY_PORT", Integer.toString(freePort()));
            return new TestGateway(dir, GatewayServer.start(ConfigLoader.load(flags, env, dir), clock));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    public GatewayServer server() {
        return server;
    }

    public Path dir() {
        return dir;
    }

    public OpenAIClient openAi() {
        return openAi(MASTER_KEY);
    }

    public OpenAIClient openAi(String key) {
        return OpenAIOkHttpClient.builder().apiKey(key).baseUrl(baseUrl() + "/v1").maxRetries(0)
                .timeout(Duration.ofSeconds(20)).build();
    }

    public HttpResponse<String> post(String path, String body) {
        return post(path, body, MASTER_KEY);
    }

    public HttpResponse<String> post(String path, String body, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(20))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) b.header("authorization", "Bearer " + key);
        return send(b.build());
    }

    public HttpResponse<String> get(String path, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(20)).GET();
        if (key != null) b.header("authorization", "Bearer " + key);
        return send(b.build());
    }

    public static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The spend row of the request a client sent with {@code x-request-id: clientRequestId}. It is queued as the answer
     * ends, which the client may see first, so it is polled (5 s at most); exactly one must exist.
     */
    public JsonNode spendRowOf(String clientRequestId) {
        JsonNode rows = Json.array();
        for (int i = 0; i < 100 && rows.isEmpty(); i++) {
            server.governance().spendLog().flush();
            rows = json(get("/spend/logs?request_id=" + clientRequestId, MASTER_KEY));
            if (rows.isEmpty()) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        if (rows.size() != 1) throw new AssertionError("expected one spend row for " + clientRequestId + ", found " + rows);
        return rows.get(0);
    }

    public static JsonNode json(HttpResponse<String> r) {
        return Json.parse(r.body());
    }

    @Override
    public void close() {
        server.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp dir cleanup is best effort
        }
    }
}
