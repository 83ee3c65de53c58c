package dev.aigateway.governance.keys;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.cluster.ClusterEvents;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.db.Database;
import dev.aigateway.governance.keys.KeyRequest.Route;
import dev.aigateway.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The key write path on its own, over a real SQLite database: the database first, then this instance's registry at
 * once, then an event for the other instances; the 400s and 404s each write can answer; times from the given clock.
 */
class KeyServiceTest {
    static final String MASTER = "sk-master-key-for-tests-0123456789";

    @TempDir
    Path dir;
    Database db;
    KeyStore store;
    KeyRegistry registry;
    final List<String> published = new CopyOnWriteArrayList<>();
    final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T12:00:00.123456Z"));
    KeyService keys;

    @BeforeEach
    void open() {
        db = Database.open("sqlite:" + dir.resolve("keys.db"));
        store = new KeyStore(db);
        registry = new KeyRegistry(store);
        keys = new KeyService(store, registry, events(), clock, MASTER);
    }

    @AfterEach
    void close() {
        db.close();
    }

    /** Cluster events that only record what was published. */
    ClusterEvents events() {
        return new ClusterEvents() {
            @Override public void publishKeyChanged(String tokenHash) { published.add(tokenHash); }
            @Override public void publishModelsChanged() {}
            @Override public void publishCooldown(String deploymentId, long untilMillis) {}
            @Override public void onCooldown(BiConsumer<String, Long> listener) {}
            @Override public void onKeyChanged(Consumer<String> listener) {}
            @Override public void onModelsChanged(Runnable listener) {}
        };
    }

    static KeyRequest req(String json, Route route) {
        return KeyRequest.parse((ObjectNode) Json.parse(json), route);
    }

    static GatewayException refused(Runnable call, int status) {
        GatewayException e = catchThrowableOfType(GatewayException.class, call::run);
        assertThat(e).as("should be refused").isNotNull();
        assertThat(e.status()).isEqualTo(status);
        return e;
    }

    @Test
    void generateStoresThenServesAtOnceThenTellsTheOthers() {
        KeyService.Generated g = keys.generate(req("{\"key_alias\":\"a\",\"max_budget\":5,\"duration\":\"1h\"}", Route.GENERATE), "admin-1");
        String hash = Keys.hash(g.key());
        assertThat(g.key()).matches("sk-[0-9A-Za-z]{48}");
        assertThat(g.virtualKey().tokenHash()).isEqualTo(hash);
        assertThat(g.virtualKey().keyName()).isEqualTo(Keys.displayName(g.key()));
        assertThat(store.byHash(hash)).get().extracting(VirtualKey::maxBudget).isEqualTo(5.0);
        assertThat(registry.find(hash)).as("the next request on this instance sees it").isNotNull();
        assertThat(published).containsExactly(hash);
        Instant now = Instant.parse("2026-03-10T12:00:00.123Z"); // to the millisecond, as the database keeps it
        assertThat(g.virtualKey().createdAt()).isEqualTo(now);
        assertThat(g.virtualKey().createdBy()).isEqualTo("admin-1");
        assertThat(g.virtualKey().expiresAt()).isEqualTo(now.plus(Duration.ofHours(1)));
        assertThat(keys.info(g.key())).usingRecursiveComparison().isEqualTo(g.virtualKey());
    }

    @Test
    void generateRefusesTheMasterKeyATakenKeyAndATakenAlias() {
        GatewayException master = refused(() -> keys.generate(req("{\"key\":\"" + MASTER + "\"}", Route.GENERATE), "m"), 400);
        assertThat(master.param()).isEqualTo("key");
        assertThat(master.getMessage()).doesNotContain(MASTER);

        keys.generate(req("{\"key\":\"sk-chosen-1\",\"key_alias\":\"team\"}", Route.GENERATE), "m");
        assertThat(refused(() -> keys.generate(req("{\"key\":\"sk-chosen-1\"}", Route.GENERATE), "m"), 400).param()).isEqualTo("key");
        GatewayException alias = refused(() -> keys.generate(req("{\"key_alias\":\"team\"}", Route.GENERATE), "m"), 400);
        assertThat(alias.param()).isEqualTo("key_alias");
        assertThat(store.count(null, null)).as("nothing written by the refusals").isEqualTo(1);
        assertThat(published).hasSize(1);
    }

    @Test
    void updateChangesOnlyWhatIsSentAndStampsTheTime() {
        String key = keys.generate(req("{\"key_alias\":\"a\",\"rpm_limit\":10,\"models\":[\"x\"]}", Route.GENERATE), "m").key();
        published.clear();
        clock.advance(Duration.ofMinutes(5));
        VirtualKey k = keys.update(key, req("{\"rpm_limit\":20}", Route.UPDATE));
        assertThat(k.rpmLimit()).isEqualTo(20L);
        assertThat(k.models()).containsExactly("x");
        assertThat(k.keyAlias()).isEqualTo("a");
        assertThat(k.updatedAt()).isEqualTo(Instant.parse("2026-03-10T12:05:00.123Z"));
        assertThat(registry.find(Keys.hash(key)).rpmLimit()).isEqualTo(20L);
        assertThat(store.byHash(Keys.hash(key)).orElseThrow().rpmLimit()).isEqualTo(20L);
        assertThat(published).containsExactly(Keys.hash(key));

        assertThat(keys.update(Keys.hash(key), req("{\"key_alias\":\"a\"}", Route.UPDATE)).keyAlias()).as("its own alias is not a clash").isEqualTo("a");
        keys.generate(req("{\"key_alias\":\"b\"}", Route.GENERATE), "m");
        assertThat(refused(() -> keys.update(key, req("{\"key_alias\":\"b\"}", Route.UPDATE)), 400).param()).isEqualTo("key_alias");
        refused(() -> keys.update("sk-no-such-key", req("{}", Route.UPDATE)), 404);
    }

    @Test
    void blockingIsAnUpdate() {
        String key = keys.generate(req("{}", Route.GENERATE), "m").key();
        assertThat(keys.setBlocked(key, true).blocked()).isTrue();
        assertThat(registry.find(Keys.hash(key)).blocked()).isTrue();
        assertThat(keys.setBlocked(key, false).blocked()).isFalse();
        assertThat(store.byHash(Keys.hash(key)).orElseThrow().blocked()).isFalse();
    }

    @Test
    void regenerateMovesEverythingToTheNewValueAndTheOldStopsAtOnce() {
        KeyService.Generated first = keys.generate(req("{\"key_alias\":\"a\",\"max_budget\":9,\"spend\":2}", Route.GENERATE), "m");
        String oldHash = Keys.hash(first.key());
        published.clear();
        clock.advance(Duration.ofSeconds(30));
        KeyService.Generated next = keys.regenerate(first.key(), req("{\"new_key\":\"sk-rotated-1\",\"rpm_limit\":4}", Route.REGENERATE));
        String newHash = Keys.hash("sk-rotated-1");
        assertThat(next.key()).isEqualTo("sk-rotated-1");
        assertThat(next.virtualKey().tokenHash()).isEqualTo(newHash);
        assertThat(next.virtualKey().keyAlias()).isEqualTo("a");
        assertThat(next.virtualKey().spend()).isEqualTo(2.0);
        assertThat(next.virtualKey().maxBudget()).isEqualTo(9.0);
        assertThat(next.virtualKey().rpmLimit()).isEqualTo(4L);
        assertThat(next.virtualKey().createdAt()).isEqualTo(first.virtualKey().createdAt());
        assertThat(registry.find(oldHash)).isNull();
        assertThat(store.byHash(oldHash)).isEmpty();
        assertThat(registry.find(newHash)).isNotNull();
        assertThat(store.byHash(newHash)).isPresent();
        assertThat(published).containsExactly(oldHash, newHash);

        assertThat(refused(() -> keys.regenerate("sk-rotated-1", req("{\"new_key\":\"" + MASTER + "\"}", Route.REGENERATE)), 400).param())
                .isEqualTo("new_key");
        keys.generate(req("{\"key\":\"sk-taken-2\"}", Route.GENERATE), "m");
        assertThat(refused(() -> keys.regenerate("sk-rotated-1", req("{\"new_key\":\"sk-taken-2\"}", Route.REGENERATE)), 400).param())
                .isEqualTo("new_key");
        assertThat(store.byHash(newHash)).as("a refused regenerate leaves the key working").isPresent();
        refused(() -> keys.regenerate(first.key(), req("{}", Route.REGENERATE)), 404);
    }

    @Test
    void deleteIsAllOrNothing() {
        String a = keys.generate(req("{\"key_alias\":\"a\"}", Route.GENERATE), "m").key();
        String b = keys.generate(req("{\"key_alias\":\"b\"}", Route.GENERATE), "m").key();
        published.clear();
        GatewayException missing = refused(() -> keys.delete(List.of(a, "sk-not-there-1234")), 404);
        assertThat(missing.getMessage()).contains("sk-...1234").contains("nothing was deleted").doesNotContain("sk-not-there-1234");
        assertThat(store.byHash(Keys.hash(a))).as("a survives the refused batch").isPresent();
        assertThat(published).isEmpty();

        assertThat(keys.delete(List.of(a, Keys.hash(b)))).containsExactly(Keys.hash(a), Keys.hash(b));
        assertThat(store.count(null, null)).isZero();
        assertThat(registry.find(Keys.hash(a))).isNull();
        assertThat(published).containsExactlyInAnyOrder(Keys.hash(a), Keys.hash(b));
    }

    @Test
    void deleteByAliasIsAllOrNothingToo() {
        keys.generate(req("{\"key_alias\":\"a\"}", Route.GENERATE), "m");
        keys.generate(req("{\"key_alias\":\"b\"}", Route.GENERATE), "m");
        assertThat(refused(() -> keys.deleteByAlias(List.of("a", "zz")), 404).getMessage()).contains("zz").contains("nothing was deleted");
        assertThat(store.count(null, null)).isEqualTo(2);
        assertThat(keys.deleteByAlias(List.of("a", "b"))).containsExactly("a", "b");
        assertThat(store.count(null, null)).isZero();
        assertThat(registry.size()).isZero();
    }

    @Test
    void listPagesAndCounts() {
        for (int i = 0; i < 5; i++) keys.generate(req("{\"user_id\":\"" + (i < 3 ? "u1" : "u2") + "\"}", Route.GENERATE), "m");
        KeyService.Page p = keys.list(1, 2, null, null, null);
        assertThat(p.totalCount()).isEqualTo(5);
        assertThat(p.totalPages()).isEqualTo(3);
        assertThat(p.keys()).hasSize(2);
        assertThat(keys.list(3, 2, null, null, null).keys()).hasSize(1);
        assertThat(keys.list(1, 10, "u1", null, null).totalCount()).isEqualTo(3);
    }

    @Test
    void aKeyIsNamedByItsValueOrItsHashAndNothingElse() {
        assertThat(KeyService.hashOf("sk-abc")).isEqualTo(Keys.hash("sk-abc"));
        String hash = Keys.hash("sk-abc");
        assertThat(KeyService.hashOf(hash)).isEqualTo(hash);
        for (String bad : new String[] {null, "", "  ", "abc", hash.toUpperCase(), hash.substring(1)}) {
            GatewayException e = catchThrowableOfType(GatewayException.class, () -> KeyService.hashOf(bad));
            assertThat(e).as(String.valueOf(bad)).isNotNull();
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.param()).isEqualTo("key");
        }
        assertThat(refused(() -> keys.info("sk-unknown"), 404).getMessage()).startsWith("No such virtual key (token " + Keys.hash("sk-unknown").substring(0, 12));
    }

    @Test
    void aDatabaseThatIsGoneIsA503NotA500() {
        String key = keys.generate(req("{}", Route.GENERATE), "m").key();
        db.close();
        GatewayException e = refused(() -> keys.info(key), 503);
        assertThat(e.type()).isEqualTo("service_unavailable");
    }
}
