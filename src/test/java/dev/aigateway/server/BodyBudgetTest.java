package dev.aigateway.server;

import dev.aigateway.core.GatewayException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BodyBudgetTest {
    @Test
    void holdsTakeUntilTheBudgetIsFullAndGiveEverythingBackOnce() {
        BodyBudget b = new BodyBudget(1000);
        BodyBudget.Hold one = b.hold();
        BodyBudget.Hold two = b.hold();
        assertThat(one.take(600)).isTrue();
        assertThat(two.take(300)).isTrue();
        assertThat(two.take(200)).isFalse(); // 1,100 > 1,000
        assertThat(b.inUse()).isEqualTo(900);
        one.release();
        one.release();
        assertThat(b.inUse()).isEqualTo(300);
        assertThat(one.take(10)).as("a released hold takes nothing more").isFalse();
        assertThat(b.inUse()).isEqualTo(300);
        two.release();
        assertThat(b.inUse()).isZero();
    }

    @Test
    void refusalIs503OverloadedWithRetryAfterOr413WhenItCouldNeverFit() {
        BodyBudget b = new BodyBudget(1000);
        b.hold().take(900);
        BodyBudget.Hold h = b.hold();
        assertThatThrownBy(() -> h.takeOrThrow(200)).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.type()).isEqualTo("service_unavailable");
            assertThat(e.code()).isEqualTo("gateway_overloaded");
            assertThat(e.headers()).containsKey("Retry-After");
        });
        assertThatThrownBy(() -> h.takeOrThrow(1001)).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.status()).isEqualTo(413);
            assertThat(e.code()).isEqualTo("request_too_large");
            assertThat(e.getMessage()).contains("GATEWAY_BODY_MEMORY_MB");
        });
    }

    @Test
    void concurrentTakesNeverOvershootAndAllComeBack() throws InterruptedException {
        BodyBudget b = new BodyBudget(100_000);
        List<Thread> threads = new ArrayList<>();
        java.util.concurrent.atomic.AtomicLong peak = new java.util.concurrent.atomic.AtomicLong();
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 20_000; i++) {
                    BodyBudget.Hold h = b.hold();
                    for (int k = 0; k < 3; k++) h.take(ThreadLocalRandom.current().nextInt(1, 20_000));
                    peak.accumulateAndGet(b.inUse(), Math::max);
                    h.release();
                }
            }));
        }
        for (Thread t : threads) t.join();
        assertThat(peak.get()).isLessThanOrEqualTo(100_000);
        assertThat(b.inUse()).isZero();
    }
}
