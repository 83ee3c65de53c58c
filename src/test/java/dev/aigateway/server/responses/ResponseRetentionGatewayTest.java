package dev.aigateway.server.responses;

import dev.aigateway.core.Json;
import dev.aigateway.db.Database;
import dev.aigateway.governance.responses.ResponseStore;
import dev.aigateway.governance.responses.StoredResponse;
import dev.aigateway.testing.MutableClock;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway purges stored responses past general_settings.responses_retention_period by itself (at start-up, then hourly). */
class ResponseRetentionGatewayTest {
    @TempDir
    Path dir;

    @Test
    void responsesPastTheRetentionPeriodAreDeleted() throws Exception {
        Instant now = Instant.parse("2026-06-01T00:00:00Z");
        String url = "sqlite:" + dir.resolve("gateway.db");
        try (Database db = Database.open(url)) {
            ResponseStore store = new ResponseStore(db);
            store.save(row("resp_expired", now.minus(Duration.ofDays(8))));
            store.save(row("resp_kept", now.minus(Duration.ofDays(6))));
        }
        try (TestGateway gw = TestGateway.start("model_list: []\ngeneral_settings:\n  responses_retention_period: 7d\n",
                Map.of("DATABASE_URL", url), new MutableClock(now))) {
            ResponseStore store = gw.server().responseStore();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (store.find("resp_expired").isPresent() && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(store.find("resp_expired")).isEmpty();
            assertThat(store.find("resp_kept")).isPresent();
        }
    }

    private static StoredResponse row(String id, Instant at) {
        return new StoredResponse(id, null, null, "dep", false, "m", at, "completed", null, Json.array(), Json.array(),
                Json.object().put("id", id), null);
    }
}
