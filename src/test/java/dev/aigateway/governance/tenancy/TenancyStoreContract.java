package dev.aigateway.governance.tenancy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;
import dev.aigateway.db.Database;
import dev.aigateway.db.StoreException;
import dev.aigateway.governance.access.ModelAccess;
import dev.aigateway.governance.keys.VirtualKey;
import dev.aigateway.router.ModelCatalog;
import dev.aigateway.governance.limits.Check;
import dev.aigateway.governance.limits.Holder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The tenancy store and registry on each database (see the subclasses): every table's record written and read back
 * unchanged, updates that leave spend alone, a taken id, and budget resets that only one caller wins.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TenancyStoreContract {
    Database db;
    TenancyStore store;
    TenancyRegistry registry;
    final Instant now = Instant.parse("2026-12-01T00:00:00Z");

    abstract String databaseUrl();

    void dropDatabase() {}

    @BeforeAll
    void open() {
        db = Database.open(databaseUrl());
        store = new TenancyStore(db);
        registry = new TenancyRegistry(store, new ModelAccess(() -> new ModelCatalog(List.of())));
    }

    @AfterAll
    void close() {
        if (db != null) db.close();
        dropDatabase();
    }

    private <T> T patched(Table<T> t, String id, String json) {
        Patch p = Patch.read((ObjectNode) Json.parse(json), Patch.Spec.of(
                "max_budget", Patch.Type.AMOUNT, "budget_duration", Patch.Type.DURATION, "rpm_limit", Patch.Type.COUNT,
                "models", Patch.Type.STRINGS, "metadata", Patch.Type.OBJECT, "blocked", Patch.Type.BOOLEAN,
                "organization_id", Patch.Type.NAME, "budget_id", Patch.Type.NAME));
        return p.applyTo(Rows.blank(t, id, now, "test"), t.type(), now);
    }

    @Test
    void everyTableRoundTrips() {
        Budget b = patched(Table.BUDGETS, "sb", "{\"max_budget\": 3, \"rpm_limit\": 4, \"budget_duration\": \"1d\"}");
        Organization o = patched(Table.ORGANIZATIONS, "so", "{\"budget_id\": \"sb\", \"models\": [\"a\"], \"metadata\": {\"k\": [1]}}");
        Team t = patched(Table.TEAMS, "st", "{\"organization_id\": \"so\", \"max_budget\": 9, \"budget_duration\": \"30d\", \"blocked\": true}");
        User u = patched(Table.USERS, "su", "{\"rpm_limit\": 2, \"models\": [\"b*\"]}");
        EndUser e = patched(Table.END_USERS, "se", "{\"budget_id\": \"sb\"}");
        TeamMember m = new TeamMember("st", "su", TeamMember.ADMIN, "sb", 0, now.plusSeconds(60), now, now);
        OrganizationMember om = new OrganizationMember("so", "su", "org_admin", null, 0, now, now);
        store.insert(Table.BUDGETS, b);
        store.insert(Table.ORGANIZATIONS, o);
        store.insert(Table.TEAMS, t);
        store.insert(Table.USERS, u);
        store.insert(Table.END_USERS, e);
        store.insert(Table.TEAM_MEMBERS, m);
        store.insert(Table.ORGANIZATION_MEMBERS, om);
        assertThat(store.find(Table.BUDGETS, "sb")).contains(b);
        assertThat(store.find(Table.ORGANIZATIONS, "so")).contains(o);
        assertThat(store.find(Table.TEAMS, "st")).contains(t);
        assertThat(store.find(Table.USERS, "su")).contains(u);
        assertThat(store.find(Table.END_USERS, "se")).contains(e);
        assertThat(store.find(Table.TEAM_MEMBERS, "st", "su")).contains(m);
        assertThat(store.find(Table.ORGANIZATION_MEMBERS, "so", "su")).contains(om);
        assertThat(t.budgetResetAt()).isEqualTo(now.plusSeconds(30 * 86_400));
        assertThatThrownBy(() -> store.insert(Table.TEAMS, t)).isInstanceOf(StoreException.Conflict.class);

        registry.reload();
        VirtualKey key = new VirtualKey("h", "sk-...x", null, 0, null, null, null, null, List.of(), Map.of(), null, null, null, Map.of(),
                Map.of(), null, Json.object(), "su", "st", false, Map.of(), List.of(), "default", now, now, null, null, null);
        List<Holder> holders = registry.holders(key, "se");
        assertThat(holders).extracting(Holder::level).containsExactly(Check.Level.ORGANIZATION, Check.Level.TEAM,
                Check.Level.TEAM_MEMBER, Check.Level.USER, Check.Level.END_USER);
        assertThat(holders.get(0).limits().rpmLimit()).isEqualTo(4);
        assertThat(holders.get(2).id()).isEqualTo("st/su");
        assertThat(registry.refusal(key, null, "a").getMessage()).contains("Team=st is blocked");
        assertThat(registry.holders(null, "se")).as("the master key: only the end user").extracting(Holder::level)
                .containsExactly(Check.Level.END_USER);
        assertThat(registry.refusal(null, null, "a")).isNull();
        assertThat(registry.holders(key, null)).as("a key's holders are built once per snapshot").isSameAs(registry.holders(key, null));
    }

    @Test
    void endUsersThatLimitNothingAreNotHeldInMemory() {
        store.insert(Table.END_USERS, patched(Table.END_USERS, "free-customer", "{}"));
        store.insert(Table.END_USERS, patched(Table.END_USERS, "blocked-customer", "{\"blocked\": true}"));
        registry.reload();
        assertThat(registry.snapshot().endUsers()).containsKey("blocked-customer").doesNotContainKey("free-customer");
        assertThat(registry.holders(null, "free-customer")).isEmpty();
        assertThat(registry.refusal(null, "blocked-customer", "a").getMessage()).contains("is blocked");
        assertThat(store.find(Table.END_USERS, "free-customer")).as("still stored, for the admin routes").isPresent();
    }

    @Test
    void updatesLeaveSpendAloneAndResetsHaveOneWinner() throws Exception {
        Team t = patched(Table.TEAMS, "rt", "{\"max_budget\": 1, \"budget_duration\": \"1d\"}");
        store.insert(Table.TEAMS, t);
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE teams SET spend = 0.5 WHERE team_id = 'rt'");
        }
        store.update(Table.TEAMS, TenancyJson.with(t, Team.class, "team_alias", "renamed"));
        Team read = store.find(Table.TEAMS, "rt").orElseThrow();
        assertThat(read.teamAlias()).isEqualTo("renamed");
        assertThat(read.spend()).isEqualTo(0.5);

        registry.reload();
        Instant next = t.budgetResetAt().plusSeconds(86_400);
        assertThat(registry.resetBudget(Check.Level.TEAM, "rt", t.budgetResetAt(), next)).isTrue();
        assertThat(registry.resetBudget(Check.Level.TEAM, "rt", t.budgetResetAt(), next)).as("already reset").isFalse();
        assertThat(registry.snapshot().teams().get("rt").spend()).isZero();
        assertThat(registry.snapshot().teams().get("rt").budgetResetAt()).isEqualTo(next);
    }
}
