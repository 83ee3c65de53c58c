package dev.aigateway.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.router.Deployment;
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
 * @param security        metrics access, trusted proxies, the invalid-key throttle, what runtime models may read
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
        ObjectNode generalSettings,
        RouterSettings routing,
        List<String> warnings,
        UnaryOperator<String> environment,
        SecuritySettings security) {

    public static final int DEFAULT_PORT = 4000;
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final long DEFAULT_MAX_REQUEST_BYTES = 32L * 1024 * 1024;

    @Override
    public String toString() {
        return "GatewayConfig[" + host + ":" + port + ", " + deployments.size() + " deployments, config=" + configFile + "]";
    }
}
