package dev.aigateway.governance.keys;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.cluster.ClusterEvents;
import dev.aigateway.core.Json;
import dev.aigateway.db.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One {@link KeyService} written from several threads at once (as the admin handlers of several event loops do): each
 * write is a read-modify-write of the key's row, so without the service's lock one thread's change is overwritten by
 * another's stale copy of the row, in the database or in the registry.
 */
class KeyServiceConcurrencyTest {
    private static final int UPDATES = 150;

    @Test
    void concurrentUpdatesOfDifferentFieldsOfOneKeyLoseNothing(@TempDir Path dir) throws Exception {
        try (Database db = Database.open("sqlite:" + dir.resolve("gw.db"))) {
            KeyStore store = new KeyStore(db);
            KeyRegistry registry = new KeyRegistry(store);
            KeyService keys = new KeyService(store, registry, ClusterEvents.local(), Clock.systemUTC(), null);
            String hash = keys.generate(KeyRequest.parse(Json.object(), KeyRequest.Route.GENERATE), "test").virtualKey().tokenHash();

            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                CountDownLatch go = new CountDownLatch(1);
                Future<?> rpm = threads.submit(() -> updates(keys, hash, "rpm_limit", go));
                Future<?> tpm = threads.submit(() -> updates(keys, hash, "tpm_limit", go));
                go.countDown();
                rpm.get(60, TimeUnit.SECONDS);
                tpm.get(60, TimeUnit.SECONDS);
            } finally {
                threads.shutdownNow();
            }

            // Each side's last write set its field to UPDATES; every write after it read that value and kept it.
            VirtualKey stored = keys.info(hash);
            assertThat(stored.rpmLimit()).as("rpm_limit in the database").isEqualTo((long) UPDATES);
            assertThat(stored.tpmLimit()).as("tpm_limit in the database").isEqualTo((long) UPDATES);
            VirtualKey inMemory = registry.find(hash);
            assertThat(inMemory.rpmLimit()).as("rpm_limit in the registry").isEqualTo((long) UPDATES);
            assertThat(inMemory.tpmLimit()).as("tpm_limit in the registry").isEqualTo((long) UPDATES);
        }
    }

    private static Void updates(KeyService keys, String hash, String field, CountDownLatch go) throws InterruptedException {
        go.await();
        for (int i = 1; i <= UPDATES; i++) {
            ObjectNode body = Json.object().put(field, i);
            keys.update(hash, KeyRequest.parse(body, KeyRequest.Route.UPDATE));
        }
        return null;
    }
}
