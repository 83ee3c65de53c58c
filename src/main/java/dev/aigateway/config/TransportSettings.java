package dev.aigateway.config;

import java.time.Duration;

/**
 * How much a client may hold of the gateway's connections, time and memory before it has been authenticated
 * (docs/security.md, "Transport bounds"). Read from the environment and {@code .env}.
 *
 * @param headerTimeout    {@code GATEWAY_HEADER_TIMEOUT_SECONDS}: a new connection must complete its request's headers
 *                         within this
 * @param bodyTimeout      {@code GATEWAY_BODY_TIMEOUT_SECONDS}: a request body must arrive in full within this, from the
 *                         end of its headers
 * @param keepAliveTimeout {@code GATEWAY_KEEPALIVE_TIMEOUT_SECONDS} (or {@code KEEPALIVE_TIMEOUT}): a connection with no
 *                         request in progress is closed after this (the wait for the next request's headers included)
 * @param maxConnections   {@code GATEWAY_MAX_CONNECTIONS}: open client connections per instance; more are closed at once
 * @param bodyMemoryBytes  {@code GATEWAY_BODY_MEMORY_MB}: request bodies and their parsed JSON held at once, per instance
 * @param upstreamPoolSize {@code GATEWAY_UPSTREAM_POOL_SIZE}: HTTP/1.1 connections per upstream host
 */
public record TransportSettings(Duration headerTimeout, Duration bodyTimeout, Duration keepAliveTimeout, int maxConnections,
                                long bodyMemoryBytes, int upstreamPoolSize) {
    public static final int DEFAULT_HEADER_TIMEOUT_SECONDS = 15;
    public static final int DEFAULT_BODY_TIMEOUT_SECONDS = 60;
    /** uvicorn's and LiteLLM's default is 5 s; 75 s is Nginx's, and outlives the 60 s idle pools of common HTTP clients. */
    public static final int DEFAULT_KEEPALIVE_TIMEOUT_SECONDS = 75;
    /**
     * Measured on the small profile (ClientAbuseIT): a connection costs about 7.5 KiB of heap, idle or holding 15 KB of
     * unfinished headers, plus up to about 16 KiB of direct memory for the unparsed bytes. 4,096 of the worst kind take
     * about 31 MiB of a 128 MiB heap and 64 MiB of the launcher's 96 MiB of direct memory.
     */
    public static final int DEFAULT_MAX_CONNECTIONS = 4_096;
    public static final int DEFAULT_UPSTREAM_POOL_SIZE = dev.aigateway.provider.http.Upstream.DEFAULT_POOL_SIZE;
    /** Share of the heap request bodies (and the JSON parsed from them) may hold at once. */
    public static final double BODY_MEMORY_SHARE = 0.40;

    /** The request line (method, path, query, version). */
    public static final int MAX_INITIAL_LINE_BYTES = 8 * 1024;
    /** All header lines together. */
    public static final int MAX_HEADER_BYTES = 16 * 1024;
    public static final int MAX_HEADER_FIELDS = 100;

    static TransportSettings parse(Settings s, long maxHeapBytes) {
        long memory = (long) (maxHeapBytes * BODY_MEMORY_SHARE);
        if (s.get("GATEWAY_BODY_MEMORY_MB") != null) {
            memory = (long) (s.number(0, 1, 1 << 20, "MiB", "GATEWAY_BODY_MEMORY_MB") * 1024 * 1024);
        }
        return new TransportSettings(
                seconds(s, DEFAULT_HEADER_TIMEOUT_SECONDS, "GATEWAY_HEADER_TIMEOUT_SECONDS"),
                seconds(s, DEFAULT_BODY_TIMEOUT_SECONDS, "GATEWAY_BODY_TIMEOUT_SECONDS"),
                seconds(s, DEFAULT_KEEPALIVE_TIMEOUT_SECONDS, "GATEWAY_KEEPALIVE_TIMEOUT_SECONDS", "KEEPALIVE_TIMEOUT"),
                s.wholeNumber(DEFAULT_MAX_CONNECTIONS, 1, 1_000_000, "GATEWAY_MAX_CONNECTIONS"),
                memory,
                s.wholeNumber(DEFAULT_UPSTREAM_POOL_SIZE, 1, 1_000_000, "GATEWAY_UPSTREAM_POOL_SIZE"));
    }

    private static Duration seconds(Settings s, int dflt, String... names) {
        return Duration.ofMillis(Math.round(s.number(dflt, 0.1, 86_400, "seconds", names) * 1000));
    }
}
