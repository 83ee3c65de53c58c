package dev.aigateway.cluster;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Cluster events over Redis pub/sub, on the channel {@code <prefix>events}. A message is
 * {@code <instance id>|key:<token hash>}, {@code <instance id>|models} or {@code <instance id>|tenancy}; an instance ignores its own
 * (it has applied the change already). Listeners run on a worker thread, since they re-read the database.
 *
 * <p>The subscription uses a connection of its own, re-established every second while Redis is away.
 * Messages published while it was away are lost, so after a reconnection the models listeners run once
 * (cheap), and keys and the tenancy are caught up by their registries' periodic reload (the safety net).
 */
public final class RedisClusterEvents implements ClusterEvents {
    private static final Logger LOG = LoggerFactory.getLogger(RedisClusterEvents.class);
    private static final long RECONNECT_MS = 1_000;

    private final Vertx vertx;
    private final Redis publisher;
    private final Redis subscriber;
    private final String channel;
    private final String instanceId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    private final List<Consumer<String>> keyListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> modelListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> tenancyListeners = new CopyOnWriteArrayList<>();
    private final List<BiConsumer<String, Long>> cooldownListeners = new CopyOnWriteArrayList<>();
    private volatile RedisConnection connection;
    private volatile boolean closed;
    private volatile boolean everSubscribed;

    public RedisClusterEvents(Vertx vertx, RedisEndpoint endpoint) {
        this.vertx = vertx;
        this.publisher = Redis.createClient(vertx, endpoint.options());
        this.subscriber = Redis.createClient(vertx, endpoint.options().setMaxPoolSize(1));
        this.channel = endpoint.prefix() + "events";
        subscribe();
    }

    @Override
    public void publishKeyChanged(String tokenHash) {
        publish("key:" + tokenHash);
    }

    @Override
    public void publishModelsChanged() {
        publish("models");
    }

    @Override
    public void publishTenancyChanged() {
        publish("tenancy");
    }

    @Override
    public void onTenancyChanged(Runnable listener) {
        tenancyListeners.add(listener);
    }

    @Override
    public void publishCooldown(String deploymentId, long untilMillis) {
        publish("cooldown:" + untilMillis + ":" + deploymentId);
    }

    @Override
    public void onCooldown(BiConsumer<String, Long> listener) {
        cooldownListeners.add(listener);
    }

    @Override
    public void onKeyChanged(Consumer<String> listener) {
        keyListeners.add(listener);
    }

    @Override
    public void onModelsChanged(Runnable listener) {
        modelListeners.add(listener);
    }

    /** Whether the subscription is live (for tests and diagnostics). */
    public boolean subscribed() {
        return connection != null;
    }

    public String instanceId() {
        return instanceId;
    }

    private void publish(String event) {
        publisher.send(Request.cmd(Command.PUBLISH).arg(channel).arg(instanceId + "|" + event))
                .onFailure(t -> LOG.debug("Could not publish {} (other instances catch up by their periodic reload): {}", event, t.getMessage()));
    }

    private void subscribe() {
        if (closed) return;
        subscriber.connect().compose(conn -> {
            conn.handler(this::received);
            conn.exceptionHandler(t -> lost(conn));
            conn.endHandler(v -> lost(conn));
            return conn.send(Request.cmd(Command.SUBSCRIBE).arg(channel)).map(conn);
        }).onComplete(ar -> {
            if (ar.failed()) {
                vertx.setTimer(RECONNECT_MS, id -> subscribe());
                return;
            }
            connection = ar.result();
            if (closed) {
                connection.close();
                return;
            }
            if (everSubscribed) {
                LOG.info("Re-subscribed to cluster events on {}", channel);
                modelListeners.forEach(this::runBlocking);
            }
            everSubscribed = true;
        });
    }

    private void lost(RedisConnection conn) {
        if (connection != conn) return;
        connection = null;
        conn.close();
        if (closed) return;
        LOG.warn("Lost the cluster-events subscription to Redis; reconnecting every {} ms.", RECONNECT_MS);
        vertx.setTimer(RECONNECT_MS, id -> subscribe());
    }

    /** A pub/sub push: {@code ["message", channel, payload]} (RESP2 array or RESP3 push). */
    private void received(Response r) {
        if (r == null || r.size() < 3 || !"message".equalsIgnoreCase(r.get(0).toString())) return;
        String payload = r.get(2).toString();
        int bar = payload.indexOf('|');
        if (bar < 0 || payload.substring(0, bar).equals(instanceId)) return;
        String event = payload.substring(bar + 1);
        if (event.startsWith("key:")) {
            String hash = event.substring(4);
            keyListeners.forEach(l -> runBlocking(() -> l.accept(hash)));
        } else if (event.equals("models")) {
            modelListeners.forEach(this::runBlocking);
        } else if (event.equals("tenancy")) {
            tenancyListeners.forEach(this::runBlocking);
        } else if (event.startsWith("cooldown:")) {
            int colon = event.indexOf(':', 9);
            if (colon < 0) return;
            long until;
            try {
                until = Long.parseLong(event.substring(9, colon));
            } catch (NumberFormatException e) {
                return;
            }
            String deployment = event.substring(colon + 1);
            cooldownListeners.forEach(l -> l.accept(deployment, until)); // cheap: no worker hop needed
        }
    }

    private void runBlocking(Runnable work) {
        vertx.executeBlocking(() -> {
            work.run();
            return null;
        }, false).onFailure(t -> LOG.warn("A cluster-event listener failed: {}", t.getMessage()));
    }

    @Override
    public void close() {
        closed = true;
        RedisConnection c = connection;
        connection = null;
        try {
            if (c != null) c.close();
            subscriber.close();
            publisher.close();
        } catch (RuntimeException e) {
            LOG.debug("Closing cluster events: {}", e.getMessage());
        }
    }
}
