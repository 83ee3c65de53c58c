package dev.aigateway.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.governance.keys.Keys;
import dev.aigateway.governance.keys.VirtualKey;
import dev.aigateway.governance.limits.Check;
import dev.aigateway.governance.limits.Holder;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tenancy routes' round trips on a real gateway, run against each database (see the subclasses): every field
 * written by a {@code /new} comes back from {@code /info}, an {@code /update} changes it, {@code /list} shows it and
 * {@code /delete} removes it; the registry the request path reads follows at once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TenancyRoundTripContract {
    TestGateway gw;

    abstract TestGateway startGateway();

    void dropDatabase() {}

    @BeforeAll
    void start() {
        gw = startGateway();
    }

    @AfterAll
    void stop() {
        if (gw != null) gw.close();
        dropDatabase();
    }

    JsonNode ok(String path, String body) {
        HttpResponse<String> r = gw.post(path, body);
        assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
        return TestGateway.json(r);
    }

    JsonNode get(String path) {
        HttpResponse<String> r = gw.get(path, TestGateway.MASTER_KEY);
        assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
        return TestGateway.json(r);
    }

    static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }

    @Test
    void budgets() {
        JsonNode b = ok("/budget/new", """
                {"budget_id": "b-rt", "max_budget": 10, "soft_budget": 8, "rpm_limit": 5, "tpm_limit": 500,
                 "max_parallel_requests": 2, "budget_duration": "30d", "model_max_budget": {"gpt-4o": 1}}""");
        assertThat(b.path("max_budget").asDouble()).isEqualTo(10);
        JsonNode info = ok("/budget/info", "{\"budgets\": [\"b-rt\"]}").get(0);
        assertThat(info.path("soft_budget").asDouble()).isEqualTo(8);
        assertThat(info.path("rpm_limit").asLong()).isEqualTo(5);
        assertThat(info.path("tpm_limit").asLong()).isEqualTo(500);
        assertThat(info.path("max_parallel_requests").asLong()).isEqualTo(2);
        assertThat(info.path("budget_duration").asText()).isEqualTo("30d");
        assertThat(info.path("model_max_budget").path("gpt-4o").asDouble()).isEqualTo(1);
        ok("/budget/update", "{\"budget_id\": \"b-rt\", \"max_budget\": 20, \"rpm_limit\": null}");
        info = ok("/budget/info", "{\"budgets\": [\"b-rt\"]}").get(0);
        assertThat(info.path("max_budget").asDouble()).isEqualTo(20);
        assertThat(info.path("rpm_limit").isNull()).isTrue();
        assertThat(texts(get("/budget/list"), "budget_id")).contains("b-rt");
        ok("/budget/delete", "{\"id\": \"b-rt\"}");
        assertThat(texts(get("/budget/list"), "budget_id")).doesNotContain("b-rt");
        assertThat(gw.post("/budget/info", "{\"budgets\": [\"b-rt\"]}").statusCode()).isEqualTo(404);
    }

    @Test
    void organizations() {
        JsonNode o = ok("/organization/new", """
                {"organization_id": "org-rt", "organization_alias": "acme", "models": ["mock"], "max_budget": 100,
                 "metadata": {"tier": "gold"}}""");
        String budgetId = o.path("budget_id").asText();
        assertThat(o.path("litellm_budget_table").path("max_budget").asDouble()).isEqualTo(100);
        JsonNode info = get("/organization/info?organization_id=org-rt");
        assertThat(info.path("organization_alias").asText()).isEqualTo("acme");
        assertThat(info.path("models").get(0).asText()).isEqualTo("mock");
        assertThat(info.path("metadata").path("tier").asText()).isEqualTo("gold");
        ok("/organization/update", "{\"organization_id\": \"org-rt\", \"organization_alias\": \"acme2\", \"max_budget\": 50}");
        info = get("/organization/info?organization_id=org-rt");
        assertThat(info.path("organization_alias").asText()).isEqualTo("acme2");
        assertThat(info.path("budget_id").asText()).isEqualTo(budgetId);
        assertThat(info.path("litellm_budget_table").path("max_budget").asDouble()).isEqualTo(50);
        ok("/organization/member_add", "{\"organization_id\": \"org-rt\", \"member\": {\"user_id\": \"ou-rt\", \"role\": \"org_admin\"}}");
        assertThat(texts(get("/organization/info?organization_id=org-rt").path("members"), "user_id")).containsExactly("ou-rt");
        JsonNode m = ok("/organization/member_update", "{\"organization_id\": \"org-rt\", \"user_id\": \"ou-rt\", \"role\": \"internal_user\", \"max_budget_in_organization\": 3}");
        assertThat(m.path("user_role").asText()).isEqualTo("internal_user");
        assertThat(m.path("litellm_budget_table").path("max_budget").asDouble()).isEqualTo(3);
        ok("/organization/member_delete", "{\"organization_id\": \"org-rt\", \"user_id\": \"ou-rt\"}");
        assertThat(get("/organization/info?organization_id=org-rt").path("members")).isEmpty();
        assertThat(texts(get("/organization/list"), "organization_id")).contains("org-rt");
        ok("/organization/delete", "{\"organization_ids\": [\"org-rt\"]}");
        assertThat(gw.get("/organization/info?organization_id=org-rt", TestGateway.MASTER_KEY).statusCode()).isEqualTo(404);
    }

    @Test
    void teams() {
        JsonNode t = ok("/team/new", """
                {"team_id": "t-rt", "team_alias": "ml", "models": ["mock"], "max_budget": 5, "soft_budget": 4, "rpm_limit": 7,
                 "tpm_limit": 700, "max_parallel_requests": 3, "budget_duration": "1d", "metadata": {"a": 1},
                 "members_with_roles": [{"user_id": "tu-admin", "role": "admin"}], "team_member_budget": 2}""");
        assertThat(t.path("members_with_roles").get(0).path("role").asText()).isEqualTo("admin");
        assertThat(t.path("budget_reset_at").isNull()).isFalse();
        JsonNode info = get("/team/info?team_id=t-rt");
        JsonNode ti = info.path("team_info");
        assertThat(ti.path("team_alias").asText()).isEqualTo("ml");
        assertThat(ti.path("max_budget").asDouble()).isEqualTo(5);
        assertThat(ti.path("soft_budget").asDouble()).isEqualTo(4);
        assertThat(ti.path("rpm_limit").asLong()).isEqualTo(7);
        assertThat(ti.path("tpm_limit").asLong()).isEqualTo(700);
        assertThat(ti.path("max_parallel_requests").asLong()).isEqualTo(3);
        assertThat(ti.path("budget_duration").asText()).isEqualTo("1d");
        assertThat(ti.path("metadata").path("a").asInt()).isEqualTo(1);
        assertThat(info.path("team_memberships").get(0).path("litellm_budget_table").path("max_budget").asDouble()).isEqualTo(2);
        ok("/team/update", "{\"team_id\": \"t-rt\", \"team_alias\": \"ml2\", \"tpm_limit\": null}");
        ti = get("/team/info?team_id=t-rt").path("team_info");
        assertThat(ti.path("team_alias").asText()).isEqualTo("ml2");
        assertThat(ti.path("tpm_limit").isNull()).isTrue();
        assertThat(ti.path("rpm_limit").asLong()).isEqualTo(7);

        JsonNode added = ok("/team/member_add", "{\"team_id\": \"t-rt\", \"member\": {\"user_id\": \"tu-2\"}, \"max_budget_in_team\": 3}");
        assertThat(texts(added.path("members_with_roles"), "user_id")).contains("tu-admin", "tu-2");
        JsonNode upd = ok("/team/member_update", "{\"team_id\": \"t-rt\", \"user_id\": \"tu-2\", \"role\": \"admin\"}");
        assertThat(upd.path("role").asText()).isEqualTo("admin");
        ok("/team/member_delete", "{\"team_id\": \"t-rt\", \"user_id\": \"tu-2\"}");
        assertThat(texts(get("/team/info?team_id=t-rt").path("team_info").path("members_with_roles"), "user_id")).containsExactly("tu-admin");

        ok("/team/model/add", "{\"team_id\": \"t-rt\", \"models\": [\"other\"]}");
        ok("/team/model/delete", "{\"team_id\": \"t-rt\", \"models\": [\"mock\"]}");
        assertThat(get("/team/info?team_id=t-rt").path("team_info").path("models").toString()).isEqualTo("[\"other\"]");

        assertThat(ok("/team/block", "{\"team_id\": \"t-rt\"}").path("blocked").asBoolean()).isTrue();
        VirtualKey teamKey = keyIn("t-rt", "tu-admin");
        assertThat(gw.server().tenancy().refusal(teamKey, null, "other")).isNotNull();
        assertThat(gw.server().tenancy().refusal(teamKey, null, "other").getMessage()).contains("Team=t-rt is blocked");
        ok("/team/unblock", "{\"team_id\": \"t-rt\"}");
        assertThat(gw.server().tenancy().refusal(teamKey, null, "other")).isNull();
        assertThat(gw.server().tenancy().refusal(teamKey, null, "mock").getMessage()).contains("mock");
        List<Check.Level> levels = gw.server().tenancy().holders(teamKey, null).stream().map(Holder::level).toList();
        assertThat(levels).containsExactly(Check.Level.TEAM, Check.Level.TEAM_MEMBER, Check.Level.USER); // every level, limited or not

        assertThat(texts(get("/team/list"), "team_id")).contains("t-rt");
        assertThat(texts(get("/team/list?user_id=tu-admin"), "team_id")).containsExactly("t-rt");
        assertThat(get("/team/info?team_id=t-rt").path("keys")).hasSize(1);
        ok("/team/delete", "{\"team_ids\": [\"t-rt\"]}");
        assertThat(gw.get("/team/info?team_id=t-rt", TestGateway.MASTER_KEY).statusCode()).isEqualTo(404);
        assertThat(gw.server().governance().keys().find(teamKey.tokenHash())).as("LiteLLM deletes a team's keys with it").isNull();
    }

    /** A key of the team, made through /key/generate, with organization_id and budget_id round-tripped too. */
    private VirtualKey keyIn(String teamId, String userId) {
        ok("/budget/new", "{\"budget_id\": \"kb-" + teamId + "\", \"rpm_limit\": 9}");
        JsonNode k = ok("/key/generate", "{\"team_id\": \"" + teamId + "\", \"user_id\": \"" + userId + "\", \"budget_id\": \"kb-" + teamId
                + "\", \"organization_id\": \"o-" + teamId + "\"}");
        JsonNode info = get("/key/info?key=" + k.path("key").asText()).path("info");
        assertThat(info.path("budget_id").asText()).isEqualTo("kb-" + teamId);
        assertThat(info.path("organization_id").asText()).isEqualTo("o-" + teamId);
        ok("/key/update", "{\"key\": \"" + k.path("key").asText() + "\", \"organization_id\": null}");
        assertThat(get("/key/info?key=" + k.path("key").asText()).path("info").path("organization_id").isNull()).isTrue();
        return gw.server().governance().keys().find(Keys.hash(k.path("key").asText()));
    }

    @Test
    void users() {
        ok("/team/new", "{\"team_id\": \"t-users\"}");
        JsonNode u = ok("/user/new", """
                {"user_id": "u-rt", "user_email": "u@example.com", "user_alias": "you", "user_role": "internal_user_viewer",
                 "teams": ["t-users"], "models": ["mock"], "max_budget": 4, "budget_duration": "7d", "rpm_limit": 11,
                 "metadata": {"dept": "x"}, "key_alias": "u-rt-key"}""");
        String key = u.path("key").asText();
        assertThat(key).startsWith("sk-");
        assertThat(u.path("user_id").asText()).isEqualTo("u-rt");
        assertThat(get("/key/info?key=" + key).path("info").path("user_id").asText()).isEqualTo("u-rt");
        JsonNode info = get("/user/info?user_id=u-rt");
        JsonNode ui = info.path("user_info");
        assertThat(ui.path("user_email").asText()).isEqualTo("u@example.com");
        assertThat(ui.path("user_alias").asText()).isEqualTo("you");
        assertThat(ui.path("user_role").asText()).isEqualTo("internal_user_viewer");
        assertThat(ui.path("max_budget").asDouble()).isEqualTo(4);
        assertThat(ui.path("rpm_limit").asLong()).isEqualTo(11);
        assertThat(ui.path("budget_duration").asText()).isEqualTo("7d");
        assertThat(ui.path("metadata").path("dept").asText()).isEqualTo("x");
        assertThat(texts(info.path("teams"), "team_id")).containsExactly("t-users");
        assertThat(ui.path("teams").toString()).isEqualTo("[\"t-users\"]");
        assertThat(info.path("keys")).hasSize(1);
        ok("/user/update", "{\"user_id\": \"u-rt\", \"user_role\": \"internal_user\", \"max_budget\": null}");
        ui = get("/user/info?user_id=u-rt").path("user_info");
        assertThat(ui.path("user_role").asText()).isEqualTo("internal_user");
        assertThat(ui.path("max_budget").isNull()).isTrue();
        assertThat(texts(get("/user/list?page_size=100").path("users"), "user_id")).contains("u-rt");
        assertThat(get("/user/list?user_ids=u-rt").path("users").get(0).path("teams").toString()).isEqualTo("[\"t-users\"]");
        assertThat(get("/user/list?role=internal_user&user_ids=u-rt").path("total").asInt()).isEqualTo(1);
        JsonNode noKey = ok("/user/new", "{\"user_id\": \"u-nokey\", \"auto_create_key\": false}");
        assertThat(noKey.path("key").isNull()).isTrue();
        ok("/user/delete", "{\"user_ids\": [\"u-rt\", \"u-nokey\"]}");
        assertThat(gw.get("/user/info?user_id=u-rt", TestGateway.MASTER_KEY).statusCode()).isEqualTo(404);
        assertThat(gw.server().governance().keys().find(Keys.hash(key))).as("a deleted user's keys go too").isNull();
        assertThat(get("/team/info?team_id=t-users").path("team_memberships")).isEmpty();
    }

    @Test
    void endUsers() {
        JsonNode c = ok("/customer/new", """
                {"user_id": "c-rt", "alias": "cust", "max_budget": 2, "rpm_limit": 3, "allowed_model_region": "eu",
                 "default_model": "mock"}""");
        assertThat(c.path("litellm_budget_table").path("max_budget").asDouble()).isEqualTo(2);
        JsonNode info = get("/customer/info?end_user_id=c-rt");
        assertThat(info.path("alias").asText()).isEqualTo("cust");
        assertThat(info.path("allowed_model_region").asText()).isEqualTo("eu");
        assertThat(info.path("default_model").asText()).isEqualTo("mock");
        ok("/end_user/update", "{\"user_id\": \"c-rt\", \"alias\": \"cust2\", \"max_budget\": 6}");
        info = get("/end_user/info?end_user_id=c-rt");
        assertThat(info.path("alias").asText()).isEqualTo("cust2");
        assertThat(info.path("litellm_budget_table").path("max_budget").asDouble()).isEqualTo(6);
        assertThat(texts(get("/customer/list"), "user_id")).contains("c-rt");

        VirtualKey key = gw.server().governance().keys().find(Keys.hash(ok("/key/generate", "{}").path("key").asText()));
        Holder h = gw.server().tenancy().holders(key, "c-rt").get(0);
        assertThat(h.level()).isEqualTo(Check.Level.END_USER);
        assertThat(h.limits().maxBudget()).isEqualTo(6);
        assertThat(h.limits().rpmLimit()).isEqualTo(3);
        assertThat(ok("/customer/block", "{\"user_ids\": [\"c-rt\"]}").path("blocked_users").get(0).path("blocked").asBoolean()).isTrue();
        assertThat(gw.server().tenancy().refusal(key, "c-rt", "mock")).isNotNull();
        ok("/customer/unblock", "{\"user_ids\": [\"c-rt\"]}");
        assertThat(gw.server().tenancy().refusal(key, "c-rt", "mock")).isNull();
        assertThat(ok("/customer/delete", "{\"user_ids\": [\"c-rt\"]}").path("deleted_customers").asInt()).isEqualTo(1);
        assertThat(gw.get("/customer/info?end_user_id=c-rt", TestGateway.MASTER_KEY).statusCode()).isEqualTo(404);
        assertThat(gw.server().tenancy().holders(key, "c-rt")).isEmpty();
    }

    @Test
    void aTeamStaysWithinItsOrganization() {
        ok("/organization/new", "{\"organization_id\": \"org-lim\", \"organization_alias\": \"lim\", \"models\": [\"mock\"], \"max_budget\": 10}");
        HttpResponse<String> r = gw.post("/team/new", "{\"organization_id\": \"org-lim\", \"models\": [\"other\"]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("other");
        assertThat(gw.post("/team/new", "{\"organization_id\": \"org-lim\"}").statusCode()).as("every model, in an org of one").isEqualTo(400);
        assertThat(gw.post("/team/new", "{\"organization_id\": \"org-lim\", \"models\": [\"mock\"], \"max_budget\": 11}").statusCode()).isEqualTo(400);
        JsonNode t = ok("/team/new", "{\"team_id\": \"t-lim\", \"organization_id\": \"org-lim\", \"models\": [\"mock\"], \"max_budget\": 10, "
                + "\"team_member_rpm_limit\": 4, \"team_member_budget\": 1, \"budget_duration\": \"1d\"}");
        JsonNode budget = ok("/budget/info", "{\"budgets\": [\"" + t.path("team_member_budget_id").asText() + "\"]}").get(0);
        assertThat(budget.path("rpm_limit").asLong()).isEqualTo(4);
        assertThat(budget.path("max_budget").asDouble()).isEqualTo(1);
        assertThat(budget.path("budget_duration").asText()).isEqualTo("1d");
        assertThat(gw.post("/team/update", "{\"team_id\": \"t-lim\", \"max_budget\": 12}").statusCode()).isEqualTo(400);
        ok("/team/delete", "{\"team_ids\": [\"t-lim\"]}");
    }

    @Test
    void badFieldsAreClear400s() {
        String longId = "x".repeat(256);
        assertThat(gw.post("/team/new", "{\"team_alias\": \"" + longId + "\"}").statusCode()).isEqualTo(400);
        StringBuilder models = new StringBuilder("[");
        for (int i = 0; i < 1001; i++) models.append(i == 0 ? "" : ",").append("\"m").append(i).append('"');
        assertThat(gw.post("/team/new", "{\"models\": " + models + "]}").statusCode()).isEqualTo(400);
        assertThat(gw.post("/user/new", "{\"user_role\": \"emperor\"}").statusCode()).isEqualTo(400);
        assertThat(gw.post("/team/new", "{\"max_budget\": -1}").statusCode()).isEqualTo(400);
        assertThat(gw.post("/customer/new", "{\"user_id\": \"c\", \"allowed_model_region\": \"mars\"}").statusCode()).isEqualTo(400);
        assertThat(gw.post("/team/new", "{\"metadata\": {\"big\": \"" + "y".repeat(70_000) + "\"}}").statusCode()).isEqualTo(400);
        assertThat(gw.post("/team/update", "{\"team_id\": \"nope\", \"team_alias\": \"a\"}").statusCode()).isEqualTo(404);
        ok("/team/new", "{\"team_id\": \"t-dup\"}");
        assertThat(gw.post("/team/new", "{\"team_id\": \"t-dup\"}").statusCode()).isEqualTo(400);
    }
}
