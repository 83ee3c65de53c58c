package dev.aigateway.cluster;

import dev.aigateway.core.ConfigException;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.RedisOptions;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the shared counters and invalidation messages live: {@code REDIS_URL} parsed into client options.
 * The URL is Vert.x's ({@code redis://[user:password@]host:port[/db]}, {@code rediss://} for TLS) plus one
 * query parameter of ours, {@code key_prefix} (default {@code gw:}), which namespaces every key and the
 * pub/sub channel so several gateways (or tests) can share one Redis database.
 *
 * @param display the URL without credentials, for logs
 */
public record RedisEndpoint(String connectionString, String prefix, String display) {
    public static final String DEFAULT_PREFIX = "gw:";

    /** Null when no URL is configured. */
    public static RedisEndpoint parse(String url) {
        if (url == null || url.isBlank()) return null;
        String u = url.strip();
        if (!u.startsWith("redis://") && !u.startsWith("rediss://") && !u.startsWith("unix://")) {
            throw new ConfigException("REDIS_URL must look like redis://host:6379 (or rediss:// for TLS), not '"
                    + u.replaceAll("//[^@/]*@", "//***@") + "'.");
        }
        String prefix = DEFAULT_PREFIX;
        int q = u.indexOf('?');
        if (q >= 0) {
            List<String> kept = new ArrayList<>();
            for (String param : u.substring(q + 1).split("&")) {
                if (param.startsWith("key_prefix=")) prefix = URLDecoder.decode(param.substring("key_prefix=".length()), StandardCharsets.UTF_8);
                else if (!param.isEmpty()) kept.add(param);
            }
            u = u.substring(0, q) + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
        }
        return new RedisEndpoint(u, prefix, u.replaceAll("//[^@/]*@", "//***@"));
    }

    /**
     * Client options: a pool big enough that a burst of admissions queues in the pool rather than failing,
     * and a short connect timeout so an unreachable Redis is noticed quickly (the gateway then counts locally).
     */
    public RedisOptions options() {
        return new RedisOptions()
                .setConnectionString(connectionString)
                .setMaxPoolSize(16)
                .setMaxPoolWaiting(16_384)
                .setMaxWaitingHandlers(16_384)
                .setPoolRecycleTimeout(60_000)
                .setNetClientOptions(new NetClientOptions().setConnectTimeout(1_000).setTcpNoDelay(true).setTcpKeepAlive(true));
    }

    @Override
    public String toString() {
        return display + " (prefix " + prefix + ")";
    }
}
