package dev.aigateway.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.router.RouterSettings;

import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Everything the gateway was configured with, after precedence and validation. Immutable: a reload
 * builds a new one.
 *
 * @param masterKey       admin key; null runs the gateway without authentication (logged loudly)
 * @param dataDir         where SQLite, the pid file and the log live
 * @param deployments     the model_list of config.yaml, in file order
 * @param warnings        what was ignored while loading (unknown keys), to be logged at start-up
 * @param environment     resolves {@code os.environ/NAME} exactly as config.yaml's entries were resolved (used for
 *                        runtime models added later)
 * @param routerSettings  config.yaml's router_settings as written: the defaults of runtime models added later
 * @param general         the other general_settings keys: background health checks, spend-log retention, the
 *                        master key on LLM routes (there is no raw general_settings here: each key is read once, in
 *                        {@link GeneralSettings} or {@link SecuritySettings})
 * @param security        metrics access, trusted proxies, the invalid-key throttle, what runtime models may read
 * @param transport       timeouts, connection and body-memory bounds of the HTTP server, the upstream pool size
 * @param resources       event loops and PostgreSQL connections (the launcher's resource profile)
 * @param logging         log level and line format, applied by {@code run}
 * @param ui              the admin UI's login and session settings
 */
public record GatewayConfig(
        String host,
        int port,
        String masterKey,
        String databaseUrl,
        String redisUrl,
        String saltKey,
        Path configFile,
        Path dataDir,
        long maxRequestBytes,
        List<Deployment> deployments,
        ObjectNode routerSettings,
        ObjectNode litellmSettings,
        RouterSettings routing,
        List<String> warnings,
        UnaryOperator<String> environment,
        GeneralSettings general,
        SecuritySettings security,
        TransportSettings transport,
        ResourceSettings resources,
        LogSettings logging,
        UiSettings ui) {

    public static final int DEFAULT_PORT = 4000;

    /** What the environment says about Google Cloud, for vertex_ai deployments. */
    public dev.aigateway.provider.vertex.VertexEnvironment vertex() {
        return VertexSettings.read(environment);
    }

    public static final String DEFAULT_HOST = "127.0.0.1";
    /** The largest default request-size limit (LiteLLM's), reached from a 640 MiB heap up. */
    public static final long DEFAULT_MAX_REQUEST_BYTES = 32L * 1024 * 1024;
    private static final long MIN_DEFAULT_REQUEST_BYTES = 1024 * 1024;

    /**
     * {@code max_request_size_mb} when config.yaml sets none: a twentieth of the heap, between 1 MiB and 32 MiB (6.4 MiB
     * with the small profile's 128 MiB). A body and the JSON parsed from it take about three times its size, so two such
     * bodies at once stay within the in-flight body memory (40% of the heap).
     */
    public static long defaultMaxRequestBytes(long maxHeapBytes) {
        return Math.max(MIN_DEFAULT_REQUEST_BYTES, Math.min(DEFAULT_MAX_REQUEST_BYTES, maxHeapBytes / 20));
    }

    @Override
    public String toString() {
        return "GatewayConfig[" + host + ":" + port + ", " + deployments.size() + " deployments, config=" + configFile + "]";
    }
}
