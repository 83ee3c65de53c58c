package dev.aigateway.provider.vertex;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which Google credentials a deployment uses, as LiteLLM and Google's libraries pick them: {@code vertex_credentials}
 * (the JSON itself or a file's path), else Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud's
 * ADC file, the metadata server). Loaded once per distinct credentials, on a worker thread (files are read there);
 * every deployment using the same credentials shares one {@link TokenSource}.
 */
final class VertexAuth {
    static final String CREDENTIALS = "vertex_credentials";
    /** A key file is a few kilobytes; anything far larger is not one. */
    private static final long MAX_FILE_BYTES = 256 * 1024;

    /** The credentials' shared token and the project they name (null when they name none). */
    record Session(TokenSource tokens, String projectId) {}

    private final Vertx vertx;
    private final VertexEnvironment env;
    private final TokenExchange exchange;
    private final Map<String, Future<Session>> sessions = new ConcurrentHashMap<>();

    VertexAuth(Vertx vertx, VertexEnvironment env, TokenExchange exchange) {
        this.vertx = vertx;
        this.env = env;
        this.exchange = exchange;
    }

    Future<Session> session(Deployment d) {
        String key = given(d);
        Future<Session> known = sessions.get(key);
        if (known != null && !known.failed()) return known;
        // A failure is not kept: the file may exist by the next call.
        return sessions.compute(key, (k, old) -> old != null && !old.failed() ? old
                : vertx.executeBlocking(() -> credentials(k)).recover(VertexAuth::unreadable)
                        .map(c -> new Session(new TokenSource(() -> exchange.fetch(c, d)), c.projectId())));
    }

    /** vertex_credentials as text: a path or JSON, or (written as a YAML mapping) the mapping as JSON; "" when unset. */
    private static String given(Deployment d) {
        JsonNode n = d.params() == null ? null : d.params().get(CREDENTIALS);
        if (n == null || n.isNull()) return "";
        String v = n.isObject() ? n.toString() : n.asText();
        return v.isBlank() ? "" : v;
    }

    private static Future<GoogleCredentials> unreadable(Throwable t) {
        if (t instanceof GatewayException g) return Future.failedFuture(g);
        return Future.failedFuture(GatewayException.invalidKey("vertex_ai credentials could not be read: " + t.getClass().getSimpleName()
                + (t.getMessage() == null ? "" : " (" + t.getMessage() + ")")));
    }

    /** Blocking: reads files. */
    GoogleCredentials credentials(String given) throws IOException {
        if (!given.isEmpty()) {
            return given.stripLeading().startsWith("{") ? GoogleCredentials.parse(given, CREDENTIALS)
                    : GoogleCredentials.parse(read(Path.of(given.strip()), CREDENTIALS), CREDENTIALS + " file " + given.strip());
        }
        if (env.credentialsFile() != null && !env.credentialsFile().isBlank()) {
            Path p = Path.of(env.credentialsFile());
            return GoogleCredentials.parse(read(p, "GOOGLE_APPLICATION_CREDENTIALS"), "GOOGLE_APPLICATION_CREDENTIALS file " + p);
        }
        if (env.gcloudFile() != null && Files.isRegularFile(Path.of(env.gcloudFile()))) {
            return GoogleCredentials.parse(read(Path.of(env.gcloudFile()), "gcloud ADC"), "gcloud ADC file " + env.gcloudFile());
        }
        return new GoogleCredentials.MetadataServer(env.metadataHost());
    }

    private static String read(Path p, String what) throws IOException {
        if (!Files.isRegularFile(p)) throw GatewayException.invalidKey("vertex_ai credentials: " + what + " names " + p + ", which is not a file.");
        if (Files.size(p) > MAX_FILE_BYTES) throw GatewayException.invalidKey("vertex_ai credentials: " + p + " is too large for a key file.");
        return Files.readString(p);
    }
}
