package dev.aigateway.cluster;

import dev.aigateway.testing.PrivateRedis;
import dev.aigateway.testing.Services;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Invalidation over Redis pub/sub between two instances. */
class RedisClusterEventsTest {
    private final Vertx vertx = Vertx.vertx();
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) c.close();
        vertx.close().await();
    }

    private RedisClusterEvents events(String url) {
        RedisClusterEvents e = new RedisClusterEvents(vertx, RedisEndpoint.parse(url));
        open.add(0, e);
        return e;
    }

    @Test
    void otherInstancesHearChangesOnAWorkerThreadAndNobodyHearsItself() {
        Services.requireRedis();
        String url = "redis://127.0.0.1:6379?key_prefix=gwtest:events:" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ":";
        RedisClusterEvents a = events(url);
        RedisClusterEvents b = events(url);
        List<String> heardByA = new CopyOnWriteArrayList<>();
        List<String> heardByB = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        AtomicInteger modelsB = new AtomicInteger();
        a.onKeyChanged(heardByA::add);
        b.onKeyChanged(h -> {
            threads.add(Thread.currentThread().getName());
            heardByB.add(h);
        });
        b.onModelsChanged(modelsB::incrementAndGet);
        waitUntil(() -> a.subscribed() && b.subscribed(), Duration.ofSeconds(5));

        long sent = System.nanoTime();
        a.publishKeyChanged("abc123");
        waitUntil(() -> heardByB.contains("abc123"), Duration.ofSeconds(1));
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(Duration.ofSeconds(1));
        assertThat(threads).allSatisfy(t -> assertThat(t).contains("worker"));
        a.publishModelsChanged();
        waitUntil(() -> modelsB.get() == 1, Duration.ofSeconds(1));
        b.publishKeyChanged("def456");
        waitUntil(() -> heardByA.contains("def456"), Duration.ofSeconds(1));
        sleep(200);
        assertThat(heardByA).containsExactly("def456"); // not its own abc123
        assertThat(heardByB).containsExactly("abc123");
    }

    @Test
    void resubscribesWhenRedisComesBack() {
        try (PrivateRedis redis = PrivateRedis.start()) {
            RedisClusterEvents a = events(redis.url());
            RedisClusterEvents b = events(redis.url());
            List<String> heard = new CopyOnWriteArrayList<>();
            AtomicInteger models = new AtomicInteger();
            b.onKeyChanged(heard::add);
            b.onModelsChanged(models::incrementAndGet);
            waitUntil(() -> a.subscribed() && b.subscribed(), Duration.ofSeconds(5));
            redis.kill();
            waitUntil(() -> !b.subscribed(), Duration.ofSeconds(5));
            redis.up();
            waitUntil(b::subscribed, Duration.ofSeconds(5));
            waitUntil(() -> models.get() == 1, Duration.ofSeconds(2)); // missed messages: models are re-read once
            a.publishKeyChanged("after-restart");
            waitUntil(() -> heard.contains("after-restart"), Duration.ofSeconds(2));
        }
    }

    static void waitUntil(BooleanSupplier condition, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within " + limit);
            sleep(10);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
