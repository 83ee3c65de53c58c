package dev.aigateway.governance;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Per-address counts in one-minute windows (UI logins, wrong API keys), on a clock the test moves; memory stays bounded. */
class AddressThrottleTest {
    private final AtomicLong now = new AtomicLong(1_800_000_000_000L - 1_800_000_000_000L % 60_000 + 15_000); // 15 s into a minute

    @Test
    void allowsTheLimitPerMinuteAndAddress() {
        AddressThrottle throttle = new AddressThrottle(10, now::get);
        assertThat(throttle.anyWaiting()).isFalse();
        for (int i = 0; i < 10; i++) assertThat(throttle.count("10.0.0.1")).as("attempt %d", i + 1).isZero();
        assertThat(throttle.waiting("10.0.0.1")).as("at the limit, not over it").isZero();
        assertThat(throttle.count("10.0.0.1")).as("the 11th waits for the next minute").isEqualTo(45);
        assertThat(throttle.anyWaiting()).isTrue();
        assertThat(throttle.waiting("10.0.0.1")).isEqualTo(45);
        assertThat(throttle.count("10.0.0.2")).as("another address has its own count").isZero();
        assertThat(throttle.waiting("10.0.0.2")).isZero();
        now.addAndGet(45_000);
        assertThat(throttle.anyWaiting()).isFalse();
        assertThat(throttle.waiting("10.0.0.1")).isZero();
        assertThat(throttle.count("10.0.0.1")).as("a new minute").isZero();
    }

    @Test
    void zeroIsOff() {
        AddressThrottle off = new AddressThrottle(0, now::get);
        for (int i = 0; i < 100; i++) assertThat(off.count("10.0.0.1")).isZero();
        assertThat(off.enabled()).isFalse();
        assertThat(off.anyWaiting()).isFalse();
    }

    @Test
    void aFloodOfAddressesCannotGrowItWithoutBound() {
        AddressThrottle throttle = new AddressThrottle(1, now::get);
        for (int i = 0; i < AddressThrottle.MAX_ADDRESSES + 50_000; i++) throttle.count("a" + i);
        assertThat(throttle.size()).isEqualTo(AddressThrottle.MAX_ADDRESSES);
        assertThat(throttle.count("a1")).as("addresses already held are still counted").isPositive();
        now.addAndGet(60_000);
        throttle.count("fresh");
        assertThat(throttle.size()).as("a new minute sweeps the old windows").isEqualTo(1);
    }
}
