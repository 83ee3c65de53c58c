package dev.aigateway.server;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RequestIdTest {

    /** Ids sort by creation time (spend_logs' primary key appends instead of splitting random pages) and stay unique. */
    @Test
    void idsGrowWithTimeAndDoNotRepeat() throws InterruptedException {
        String first = RequestPipeline.newId();
        Thread.sleep(2);
        Set<String> seen = new HashSet<>();
        String previous = first;
        for (int i = 0; i < 100_000; i++) {
            String id = RequestPipeline.newId();
            assertThat(id).matches("req-[0-9a-f]{24}");
            assertThat(id.substring(0, 16)).isGreaterThanOrEqualTo(previous.substring(0, 16));
            assertThat(seen.add(id)).as("unique").isTrue();
            previous = id;
        }
        assertThat(first.compareTo(previous)).isNegative();
        assertThat(Long.parseLong(first.substring(4, 16), 16)).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
    }
}
