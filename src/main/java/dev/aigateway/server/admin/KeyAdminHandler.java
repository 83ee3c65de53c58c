package dev.aigateway.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.governance.Principal;
import dev.aigateway.governance.keys.KeyJson;
import dev.aigateway.governance.keys.KeyRequest;
import dev.aigateway.governance.keys.KeyService;
import dev.aigateway.governance.keys.VirtualKey;
import dev.aigateway.governance.spend.SpendLog;
import dev.aigateway.governance.tenancy.TenancyRegistry;
import dev.aigateway.server.RequestContext;
import dev.aigateway.server.RequestPipeline;
import dev.aigateway.server.Responses;
import dev.aigateway.server.Routes;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.util.ArrayList;
import java.util.List;

/**
 * LiteLLM's virtual-key admin routes: {@code /key/generate}, {@code /key/update}, {@code /key/delete},
 * {@code /key/info}, {@code /key/list}, {@code /key/block}, {@code /key/unblock}, {@code /key/regenerate}
 * (also as {@code /key/{key}/regenerate}). Authentication and body parsing happen on the event loop;
 * the database work runs in {@link KeyService} on a worker thread.
 *
 * <p>Who may call: the master key or an admin key (key_type {@code management}/{@code admin}) everywhere;
 * a {@code read_only} key may read {@code /key/info} and {@code /key/list}; any key may read its own
 * {@code /key/info}. {@code /key/generate|update|delete|block|unblock} follow {@link AdminPolicy}: a team's admins
 * manage its keys, and an internal_user its own keys outside teams. Others get 403, a missing or unknown key 401.
 *
 * <p>A key's {@code spend} in every answer is what this gateway knows: the stored spend plus the cost of its
 * requests that ended but whose rows the spend writer has not committed yet ({@link SpendLog#unwrittenSpend}).
 * The database is read inside {@link SpendLog#readingStoredSpend}, so no batch commits in between and no row
 * counts twice or not at all.
 */
public final class KeyAdminHandler {
    /** /key/list: keys per page (LiteLLM's UI asks for 10 to 100) and the last page that may be asked for. */
    public static final int MAX_PAGE_SIZE = 100;
    public static final int MAX_PAGE = 1_000_000;

    private final RequestPipeline pipeline;
    private final KeyService keys;
    private final SpendLog spendLog;
    private final AdminHttp http;
    private final TenancyRegistry tenancy;

    /** @param keys the gateway's one key service, shared by every event loop's handler */
    public KeyAdminHandler(RequestPipeline pipeline, KeyService keys, SpendLog spendLog, TenancyRegistry tenancy) {
        this.pipeline = pipeline;
        this.keys = keys;
        this.spendLog = spendLog;
        this.http = new AdminHttp(pipeline);
        this.tenancy = tenancy;
    }

    public void register(Routes routes) {
        routes.add(HttpMethod.POST, "/key/generate", req -> http.withBody(req, this::generate))
                .add(HttpMethod.POST, "/key/update", req -> http.withBody(req, this::update))
                .add(HttpMethod.POST, "/key/delete", req -> http.withBody(req, this::delete))
                .add(HttpMethod.POST, "/key/block", req -> http.withBody(req, (p, body) -> block(p, body, true)))
                .add(HttpMethod.POST, "/key/unblock", req -> http.withBody(req, (p, body) -> block(p, body, false)))
                .add(HttpMethod.POST, "/key/regenerate", req -> http.withBody(req, (p, body) -> regenerate(p, body, null)))
                .addPrefix(HttpMethod.POST, "/key/", this::keyPath)
                .add(HttpMethod.GET, "/key/info", this::info)
                .add(HttpMethod.GET, "/key/list", this::list);
    }

    // --- admin writes

    private Future<ObjectNode> generate(Principal p, ObjectNode body) {
        AdminPolicy.Caller caller = caller(p);
        AdminPolicy.checkRole("/key/generate", caller);
        // A user making a key makes it for itself unless it names another owner (which the policy then judges).
        if (!caller.isAdmin() && caller.userId() != null && !body.hasNonNull("user_id")) body.put("user_id", caller.userId());
        String teamId = AdminHttp.optionalName(body, "team_id");
        authorize("/key/generate", caller, body, teamId, AdminHttp.optionalName(body, "user_id"));
        KeyRequest request = KeyRequest.parse(body, KeyRequest.Route.GENERATE);
        requireWithinTeam(teamId, AdminHttp.stringList(body, "models"));
        String createdBy = p.alias();
        return pipeline.blocking(() -> {
            KeyService.Generated g = keys.generate(request, createdBy);
            return KeyJson.generated(g.key(), g.virtualKey()); // a new key: nothing unwritten yet
        });
    }

    private Future<ObjectNode> update(Principal p, ObjectNode body) {
        AdminPolicy.Caller caller = caller(p);
        AdminPolicy.checkRole("/key/update", caller);
        String key = keyField(body, "key");
        KeyRequest request = KeyRequest.parse(body, KeyRequest.Route.UPDATE);
        return pipeline.blocking(() -> {
            if (!caller.isAdmin()) {
                VirtualKey k = keys.info(key);
                authorize("/key/update", caller, body, k.teamId(), k.userId());
                // Moving the key to another team or owner needs the same right there.
                String team = request.has("team_id") ? AdminHttp.optionalName(body, "team_id") : k.teamId();
                String user = request.has("user_id") ? AdminHttp.optionalName(body, "user_id") : k.userId();
                if (!java.util.Objects.equals(team, k.teamId()) || !java.util.Objects.equals(user, k.userId())) {
                    authorize("/key/update", caller, body, team, user);
                }
            }
            return withStoredSpend(() -> withKeyFirst(shown(keys.update(key, request))));
        });
    }

    private Future<ObjectNode> block(Principal p, ObjectNode body, boolean blocked) {
        AdminPolicy.Caller caller = caller(p);
        AdminPolicy.checkRole(blocked ? "/key/block" : "/key/unblock", caller);
        String key = keyField(body, "key");
        return pipeline.blocking(() -> {
            if (!caller.isAdmin()) {
                VirtualKey k = keys.info(key);
                authorize(blocked ? "/key/block" : "/key/unblock", caller, body, k.teamId(), k.userId());
            }
            return withStoredSpend(() -> KeyJson.object(shown(keys.setBlocked(key, blocked))));
        });
    }

    private Future<ObjectNode> regenerate(Principal p, ObjectNode body, String keyFromPath) {
        AdminPolicy.checkRole("/key/regenerate", caller(p));
        String key = keyFromPath != null ? keyFromPath : keyField(body, "key");
        KeyRequest changes = KeyRequest.parse(body, KeyRequest.Route.REGENERATE);
        return pipeline.blocking(() -> withStoredSpend(() -> {
            KeyService.Generated g = keys.regenerate(key, changes);
            return KeyJson.generated(g.key(), shown(g.virtualKey()));
        }));
    }

    private Future<ObjectNode> delete(Principal p, ObjectNode body) {
        AdminPolicy.Caller caller = caller(p);
        AdminPolicy.checkRole("/key/delete", caller);
        List<String> byKey = AdminHttp.stringList(body, "keys");
        List<String> byAlias = AdminHttp.stringList(body, "key_aliases");
        if (byKey.isEmpty() && byAlias.isEmpty()) {
            throw GatewayException.badRequest("Give the keys to delete as {\"keys\": [\"sk-...\" or token]} or {\"key_aliases\": [\"...\"]}.", "keys");
        }
        return pipeline.blocking(() -> {
            if (!caller.isAdmin()) {
                List<VirtualKey> named = new ArrayList<>();
                for (String k : byKey) named.add(keys.info(k));
                for (String a : byAlias) named.addAll(keys.list(1, 1, null, null, a).keys());
                for (VirtualKey k : named) authorize("/key/delete", caller, body, k.teamId(), k.userId());
            }
            List<String> deleted = new ArrayList<>();
            if (!byKey.isEmpty()) deleted.addAll(keys.delete(byKey));
            if (!byAlias.isEmpty()) deleted.addAll(keys.deleteByAlias(byAlias));
            ObjectNode out = Json.object();
            ArrayNode list = out.putArray("deleted_keys");
            deleted.forEach(list::add);
            return out;
        });
    }

    /** {@code POST /key/{key}/regenerate}, LiteLLM's path form. */
    private void keyPath(HttpServerRequest req, String rest) {
        int slash = rest.indexOf('/');
        if (slash <= 0 || !rest.substring(slash).equals("/regenerate")) {
            Responses.error(pipeline.begin(req), GatewayException.notFound("Unknown route POST " + req.path() + "."));
            return;
        }
        String key = rest.substring(0, slash);
        http.withBody(req, (p, body) -> regenerate(p, body, key));
    }

    // --- who may change which key (AdminPolicy: proxy_admin, a team's admins, a user for its own keys)

    private AdminPolicy.Caller caller(Principal p) {
        return AdminPolicy.Caller.of(p, tenancy.snapshot());
    }

    /**
     * A team key's models must be among its team's (LiteLLM refuses the others at once, rather than at every request):
     * 400 naming the first that is not.
     */
    private void requireWithinTeam(String teamId, List<String> models) {
        var team = teamId == null ? null : tenancy.snapshot().teams().get(teamId);
        if (team == null || team.models().isEmpty()) return;
        for (String m : models) {
            if (!tenancy.allows(team.models(), m)) {
                throw GatewayException.badRequest("Model '" + m + "' is not in the models of team " + teamId + ": " + team.models() + ".", "models");
            }
        }
    }

    /** 403 unless the caller may call {@code route} for a key of this team and user; only admins make admin keys. */
    private void authorize(String route, AdminPolicy.Caller caller, ObjectNode body, String teamId, String userId) {
        AdminPolicy.check(route, caller, tenancy.snapshot(), teamId, userId);
        JsonNode type = body.get("key_type");
        if (!caller.isAdmin() && type != null && type.isTextual() && VirtualKey.ADMIN_TYPES.contains(type.asText())) {
            throw GatewayException.permission("Only the role proxy_admin may make keys of key_type '" + type.asText() + "'.");
        }
    }

    /** The master key, admin and read_only keys, and the keys of proxy_admin and proxy_admin_viewer users. */
    private boolean readsAllKeys(Principal p) {
        if (p.mayReadAdminData()) return true;
        AdminPolicy.Caller c = caller(p);
        return c.isAdmin() || c.role() == dev.aigateway.governance.tenancy.Role.PROXY_ADMIN_VIEWER;
    }

    private static GatewayException notYours() {
        return GatewayException.permission("This key may only read its own /key/info (and its user's keys); reading other keys needs "
                + "the master key, an admin key or a read_only key.");
    }

    // --- reads

    private void info(HttpServerRequest req) {
        RequestContext ctx = pipeline.begin(req);
        try {
            Principal p = pipeline.authenticate(ctx);
            String asked = req.getParam("key");
            String hash;
            if (asked == null || asked.isBlank()) {
                if (p.key() == null) throw GatewayException.badRequest("'key' is required: /key/info?key=sk-... (or the key's token).", "key");
                hash = p.keyHash();
            } else {
                hash = KeyService.hashOf(asked);
            }
            // A user's key may also read the user's other keys (LiteLLM's internal users read their own keys).
            String ownUser = readsAllKeys(p) || hash.equals(p.keyHash()) ? null : caller(p).userId();
            if (!readsAllKeys(p) && !hash.equals(p.keyHash()) && ownUser == null) throw notYours();
            AdminHttp.respond(ctx, pipeline.blocking(() -> withStoredSpend(() -> {
                VirtualKey k;
                try {
                    k = keys.info(hash);
                } catch (GatewayException e) {
                    if (ownUser != null) throw notYours(); // a key that is not there is not the caller's either
                    throw e;
                }
                if (ownUser != null && !ownUser.equals(k.userId())) throw notYours();
                return KeyJson.info(shown(k));
            })));
        } catch (RuntimeException e) {
            Responses.error(ctx, e);
        }
    }

    private void list(HttpServerRequest req) {
        RequestContext ctx = pipeline.begin(req);
        try {
            Principal p = pipeline.authenticate(ctx);
            String asked = AdminHttp.blankToNull(req.getParam("user_id"));
            // A user's key lists the user's keys (LiteLLM's internal users); any other user's needs an admin or read_only key.
            String ownUser = readsAllKeys(p) ? null : caller(p).userId();
            if (!readsAllKeys(p) && (ownUser == null || asked != null && !asked.equals(ownUser))) {
                throw GatewayException.permission("/key/list needs the master key, an admin key (key_type 'management') or a read_only key; "
                        + "a user's key lists only that user's keys.");
            }
            int page = AdminHttp.intParam(req, "page", 1, 1, MAX_PAGE);
            int size = AdminHttp.intParam(req, "size", 10, 1, MAX_PAGE_SIZE);
            String userId = ownUser != null ? ownUser : asked;
            String teamId = AdminHttp.blankToNull(req.getParam("team_id"));
            String alias = AdminHttp.blankToNull(req.getParam("key_alias"));
            boolean full = "true".equalsIgnoreCase(req.getParam("return_full_object"));
            AdminHttp.respond(ctx, pipeline.blocking(() -> withStoredSpend(() -> {
                KeyService.Page result = keys.list(page, size, userId, teamId, alias);
                ObjectNode out = Json.object();
                ArrayNode list = out.putArray("keys");
                for (VirtualKey k : result.keys()) {
                    if (full) list.add(KeyJson.object(shown(k)));
                    else list.add(k.tokenHash());
                }
                out.put("total_count", result.totalCount());
                out.put("current_page", result.currentPage());
                out.put("total_pages", result.totalPages());
                return out;
            })));
        } catch (RuntimeException e) {
            Responses.error(ctx, e);
        }
    }

    // --- spend as the gateway knows it

    /** Runs a database read of keys so that no spend batch commits during it (see the class comment). */
    private <T> T withStoredSpend(java.util.function.Supplier<T> read) {
        return spendLog.readingStoredSpend(read);
    }

    /** The key with its spend as this gateway knows it: stored plus settled but not yet written. */
    private VirtualKey shown(VirtualKey k) {
        double unwritten = spendLog.unwrittenSpend(k.tokenHash());
        return unwritten == 0 ? k : k.withSpend(k.spend() + unwritten);
    }

    // --- fields

    /** /key/update's answer: LiteLLM's {@code key} first (here the hash: full keys are never echoed), then the key. */
    private static ObjectNode withKeyFirst(VirtualKey k) {
        ObjectNode out = Json.object();
        out.put("key", k.tokenHash());
        out.setAll(KeyJson.object(k));
        return out;
    }

    private static String keyField(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) throw GatewayException.badRequest("'" + field + "' is required: the key (sk-...) or its hash (token).", field);
        if (!n.isTextual()) throw GatewayException.badRequest("'" + field + "' must be a string.", field);
        return n.asText();
    }

}
