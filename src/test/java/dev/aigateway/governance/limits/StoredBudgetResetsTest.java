package dev.aigateway.governance.limits;

import dev.aigateway.db.Database;
import dev.aigateway.governance.keys.KeyRegistry;
import dev.aigateway.governance.keys.KeyStore;
import dev.aigateway.governance.keys.VirtualKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StoredBudgetResetsTest {

    @Test
    void resetsTheRowOnceAndUpdatesTheRegistry(@TempDir Path dir) {
        try (Database db = Database.open("sqlite:" + dir.resolve("gw.db"))) {
            KeyStore store = new KeyStore(db);
            KeyRegistry registry = new KeyRegistry(store);
            Instant end = Instant.parse("2026-03-10T12:00:30Z");
            Instant next = Instant.parse("2026-03-10T12:01:00Z");
            VirtualKey k = TestKeys.key().spend(3.0).maxBudget(1.0).budgetDuration("30s", end).build();
            store.insert(k);
            List<Runnable> queued = new ArrayList<>();
            StoredBudgetResets resets = new StoredBudgetResets(store, registry, HolderBudgets.NONE, queued::add);

            resets.windowRolled(k, end, next);
            resets.windowRolled(k, end, next); // every request until the registry catches up: one write
            assertThat(queued).hasSize(1);
            assertThat(store.byHash(k.tokenHash()).orElseThrow().spend()).isEqualTo(3.0); // nothing on the caller's thread

            queued.getFirst().run();
            VirtualKey stored = store.byHash(k.tokenHash()).orElseThrow();
            assertThat(stored.spend()).isZero();
            assertThat(stored.budgetResetAt()).isEqualTo(next);
            assertThat(registry.find(k.tokenHash()).budgetResetAt()).isEqualTo(next);

            VirtualKey staleCopy = TestKeys.withStored(k, 3.0, end); // another instance noticing the same roll later
            new StoredBudgetResets(store, registry, HolderBudgets.NONE, Runnable::run).windowRolled(staleCopy, end, next);
            assertThat(store.byHash(k.tokenHash()).orElseThrow().budgetResetAt()).isEqualTo(next);
        }
    }
}
