package dev.aigateway.server.admin;

import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route of {@link AdminPolicy} called by every role on a real gateway: LiteLLM's four user roles, and an
 * internal_user who is admin of the target team. The expectations are written out here, not derived from the policy,
 * and every route the policy lists must have one. A refusal is a 403 that names the role needed; an allowed call is
 * anything else (the targets of writes do not exist, so an allowed write is a 404 and changes nothing).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoleMatrixTest {
    private static final String TEAM = "rm-team";
    private static final List<String> ROLES = List.of("proxy_admin", "proxy_admin_viewer", "internal_user", "internal_user_viewer", "team_admin");
    private static final Set<String> ADMIN = Set.of("proxy_admin");
    private static final Set<String> READERS = Set.of("proxy_admin", "proxy_admin_viewer");
    private static final Set<String> EVERYONE = Set.copyOf(ROLES);
    private static final Set<String> TEAM_READERS = Set.of("proxy_admin", "proxy_admin_viewer", "internal_user", "team_admin");
    private static final Set<String> TEAM_MANAGERS = Set.of("proxy_admin", "team_admin");

    private TestGateway gw;
    private final Map<String, String> keys = new LinkedHashMap<>();
    /** A key of the team, owned by its plain member. */
    private String teamKey;

    @BeforeAll
    void start() {
        gw = TestGateway.start(KeyApi.CONFIG);
        for (String role : ROLES) {
            String userRole = role.equals("team_admin") ? "internal_user" : role;
            HttpResponse<String> r = gw.post("/user/new", "{\"user_id\": \"rm-" + role + "\", \"user_role\": \"" + userRole + "\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            keys.put(role, TestGateway.json(r).path("key").asText());
        }
        assertThat(gw.post("/team/new", "{\"team_id\": \"" + TEAM + "\", \"members_with_roles\": [{\"user_id\": \"rm-team_admin\", \"role\": \"admin\"}, "
                + "{\"user_id\": \"rm-internal_user\", \"role\": \"user\"}, {\"user_id\": \"rm-internal_user_viewer\", \"role\": \"user\"}]}").statusCode())
                .isEqualTo(200);
        teamKey = newTeamKey();
    }

    private String newTeamKey() {
        return TestGateway.json(gw.post("/key/generate", "{\"team_id\": \"" + TEAM + "\", \"user_id\": \"rm-internal_user\"}")).path("key").asText();
    }

    @AfterAll
    void stop() {
        if (gw != null) gw.close();
    }

    private static Set<String> expected(String route) {
        return switch (route) {
            case "/team/info" -> TEAM_READERS;
            case "/team/update", "/team/member_add", "/team/member_update", "/team/member_delete" -> TEAM_MANAGERS;
            case "/key/generate", "/key/update", "/key/delete", "/key/block", "/key/unblock" -> TEAM_MANAGERS; // keys of the team
            case "/user/info", "/team/list" -> EVERYONE; // a user reads itself, and lists its own teams
            case "/user/list", "/budget/list", "/budget/info", "/organization/list", "/organization/info",
                 "/customer/list", "/customer/info", "/end_user/list", "/end_user/info" -> READERS;
            default -> ADMIN;
        };
    }

    /** GET routes and their query; every other route is a POST of this body. */
    private static final Map<String, String> GETS = Map.ofEntries(Map.entry("/team/info", "?team_id=" + TEAM), Map.entry("/team/list", ""),
            Map.entry("/user/info", ""), Map.entry("/user/list", ""), Map.entry("/budget/list", ""),
            Map.entry("/organization/info", "?organization_id=nobody"), Map.entry("/organization/list", ""),
            Map.entry("/customer/info", "?end_user_id=nobody"), Map.entry("/customer/list", ""),
            Map.entry("/end_user/info", "?end_user_id=nobody"), Map.entry("/end_user/list", ""));

    private String body(String route) {
        return switch (route) {
            case "/key/generate" -> "{\"team_id\": \"" + TEAM + "\"}";
            case "/key/update" -> "{\"key\": \"" + teamKey + "\", \"metadata\": {\"touched\": true}}";
            case "/key/block", "/key/unblock" -> "{\"key\": \"" + teamKey + "\"}";
            case "/key/delete" -> "{\"keys\": [\"" + newTeamKey() + "\"]}";
            case "/key/regenerate" -> "{\"key\": \"" + newTeamKey() + "\"}";
            case "/team/new", "/budget/new" -> "{}";
            case "/user/new" -> "{\"auto_create_key\": false}";
            case "/organization/new" -> "{\"organization_alias\": \"o\"}";
            case "/customer/new", "/end_user/new" -> "{\"user_id\": \"rm-c-" + Long.toHexString(System.nanoTime()) + "\"}";
            case "/team/delete" -> "{\"team_ids\": [\"nobody\"]}";
            case "/user/delete", "/customer/delete", "/end_user/delete" -> "{\"user_ids\": [\"nobody\"]}";
            case "/customer/block", "/customer/unblock", "/end_user/block", "/end_user/unblock" -> "{\"user_ids\": [\"rm-c\"]}";
            case "/organization/delete" -> "{\"organization_ids\": [\"nobody\"]}";
            case "/budget/delete" -> "{\"id\": \"nobody\"}";
            case "/budget/info" -> "{\"budgets\": [\"nobody\"]}";
            case "/budget/update" -> "{\"budget_id\": \"nobody\"}";
            case "/user/update" -> "{\"user_id\": \"nobody\"}";
            case "/team/member_add" -> "{\"team_id\": \"" + TEAM + "\", \"member\": {\"user_id\": \"rm-internal_user\"}}"; // already a member: 400
            case "/team/member_update", "/team/member_delete" -> "{\"team_id\": \"" + TEAM + "\", \"user_id\": \"nobody\"}";
            case "/team/model/add", "/team/model/delete" -> "{\"team_id\": \"nobody\", \"models\": [\"mock\"]}";
            default -> route.startsWith("/organization/") ? "{\"organization_id\": \"nobody\", \"member\": {\"user_id\": \"nobody\"}, \"user_id\": \"nobody\"}"
                    : "{\"team_id\": \"" + (route.equals("/team/update") ? TEAM : "nobody") + "\"}";
        };
    }

    @Test
    void everyRoleOnEveryRoute() {
        List<String> wrong = new ArrayList<>();
        for (String route : AdminPolicy.ROUTES.keySet()) {
            for (String role : ROLES) {
                String key = keys.get(role);
                HttpResponse<String> r = GETS.containsKey(route) ? gw.get(route + GETS.get(route), key) : gw.post(route, body(route), key);
                boolean allowed = r.statusCode() != 403;
                boolean expect = expected(route).contains(role);
                if (allowed != expect) wrong.add(route + " as " + role + ": " + r.statusCode() + " " + r.body());
                if (!allowed) assertThat(r.body()).as(route).contains("needs").contains("role");
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void theModelSpendAndMetricsRoutesFollowTheUsersRoleToo() {
        String model = "{\"model_name\": \"rm-model\", \"litellm_params\": {\"model\": \"mock/rm\"}}";
        Map<String, Integer> writes = new LinkedHashMap<>();
        Map<String, Integer> reads = new LinkedHashMap<>();
        for (String role : ROLES) {
            writes.put(role, gw.post("/model/new", model, keys.get(role)).statusCode());
            reads.put(role, gw.get("/global/spend/keys", keys.get(role)).statusCode());
        }
        assertThat(writes).containsEntry("proxy_admin", 200).containsEntry("proxy_admin_viewer", 403)
                .containsEntry("internal_user", 403).containsEntry("internal_user_viewer", 403).containsEntry("team_admin", 403);
        assertThat(reads).containsEntry("proxy_admin", 200).containsEntry("proxy_admin_viewer", 200)
                .containsEntry("internal_user", 403).containsEntry("internal_user_viewer", 403).containsEntry("team_admin", 403);
    }

    @Test
    void anInternalUserManagesItsOwnKeysOutsideTeamsOnly() {
        String iu = keys.get("internal_user");
        HttpResponse<String> own = gw.post("/key/generate", "{\"key_alias\": \"rm-own\"}", iu);
        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
        assertThat(TestGateway.json(own).path("user_id").asText()).as("made for itself").isEqualTo("rm-internal_user");
        String ownKey = TestGateway.json(own).path("key").asText();
        assertThat(gw.post("/key/update", "{\"key\": \"" + ownKey + "\", \"rpm_limit\": 5}", iu).statusCode()).isEqualTo(200);
        assertThat(gw.post("/key/update", "{\"key\": \"" + ownKey + "\", \"user_id\": \"rm-proxy_admin\"}", iu).statusCode())
                .as("giving the key away").isEqualTo(403);
        assertThat(gw.post("/key/generate", "{\"key_type\": \"management\"}", iu).statusCode()).as("no admin keys").isEqualTo(403);
        assertThat(gw.post("/key/generate", "{\"user_id\": \"rm-proxy_admin\"}", iu).statusCode()).as("for another user").isEqualTo(403);
        assertThat(gw.post("/key/block", "{\"key\": \"" + ownKey + "\"}", iu).statusCode()).isEqualTo(403);
        HttpResponse<String> list = gw.get("/key/list?return_full_object=true", iu);
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        List<String> owners = new ArrayList<>();
        TestGateway.json(list).path("keys").forEach(k -> owners.add(k.path("user_id").asText()));
        assertThat(owners).isNotEmpty().containsOnly("rm-internal_user");
        assertThat(gw.get("/key/list?user_id=rm-proxy_admin", iu).statusCode()).isEqualTo(403);
        assertThat(gw.get("/key/info?key=" + ownKey, iu).statusCode()).as("its user's other key").isEqualTo(200);
        assertThat(gw.get("/key/info?key=" + keys.get("proxy_admin"), iu).statusCode()).isEqualTo(403);
        assertThat(TestGateway.json(gw.get("/team/list", iu))).extracting(t -> t.path("team_id").asText()).containsExactly(TEAM);
        assertThat(gw.get("/team/list?user_id=rm-proxy_admin", iu).statusCode()).isEqualTo(403);
        assertThat(gw.post("/key/delete", "{\"keys\": [\"" + ownKey + "\"]}", iu).statusCode()).isEqualTo(200);
        assertThat(gw.post("/key/generate", "{}", keys.get("internal_user_viewer")).statusCode()).isEqualTo(403);
    }

    @Test
    void theMasterKeyIsProxyAdminAndAKeyOfNoUserIsNobody() {
        assertThat(gw.get("/team/list", TestGateway.MASTER_KEY).statusCode()).isEqualTo(200);
        String plain = TestGateway.json(gw.post("/key/generate", "{}")).path("key").asText();
        HttpResponse<String> r = gw.get("/team/list", plain);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("no user");
        String teamOnly = TestGateway.json(gw.post("/key/generate", "{\"team_id\": \"" + TEAM + "\"}")).path("key").asText();
        assertThat(gw.get("/team/info?team_id=" + TEAM, teamOnly).statusCode()).as("a team's key reads its team").isEqualTo(200);
        assertThat(gw.post("/team/new", "{\"team_id\": \"rm-other\"}").statusCode()).isEqualTo(200);
        assertThat(gw.get("/team/info?team_id=rm-other", teamOnly).statusCode()).isEqualTo(403);
    }
}
