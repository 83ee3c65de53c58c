package dev.aigateway.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.governance.Principal;
import dev.aigateway.governance.tenancy.EndUser;
import dev.aigateway.governance.tenancy.Patch;
import dev.aigateway.governance.tenancy.Rows;
import dev.aigateway.governance.tenancy.Table;
import dev.aigateway.governance.tenancy.TenancyJson;
import dev.aigateway.server.Routes;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.util.ArrayList;
import java.util.List;

/**
 * LiteLLM's end users ("customers"): {@code /customer/new|info|update|delete|list|block|unblock}, the same under
 * {@code /end_user/*}. Their limit fields go to a named budget (their own, made for them, unless they name one).
 */
public final class EndUserAdminHandler {
    static final Patch.Spec FIELDS = Patch.Spec.of("alias", Patch.Type.NAME, "blocked", Patch.Type.BOOLEAN, "budget_id", Patch.Type.NAME,
            "allowed_model_region", Patch.Type.REGION, "default_model", Patch.Type.NAME);

    private final TenancyAdmin admin;

    EndUserAdminHandler(TenancyAdmin admin) {
        this.admin = admin;
    }

    void register(Routes routes) {
        AdminHttp http = admin.http;
        for (String prefix : List.of("/customer", "/end_user")) {
            routes.add(HttpMethod.POST, prefix + "/new", req -> http.withBody(req, (p, b) -> create(prefix, p, b)))
                    .add(HttpMethod.GET, prefix + "/info", req -> http.withQuery(req, (p, r) -> info(prefix, p, r)))
                    .add(HttpMethod.POST, prefix + "/update", req -> http.withBody(req, (p, b) -> update(prefix, p, b)))
                    .add(HttpMethod.POST, prefix + "/delete", req -> http.withBody(req, (p, b) -> delete(prefix, p, b)))
                    .add(HttpMethod.GET, prefix + "/list", req -> http.withQuery(req, (p, r) -> list(prefix, p)))
                    .add(HttpMethod.POST, prefix + "/block", req -> http.withBody(req, (p, b) -> block(prefix, p, b, true)))
                    .add(HttpMethod.POST, prefix + "/unblock", req -> http.withBody(req, (p, b) -> block(prefix, p, b, false)));
        }
    }

    private Future<ObjectNode> create(String prefix, Principal p, ObjectNode body) {
        admin.check(prefix + "/new", p, null, null);
        String id = AdminHttp.requiredName(body, "user_id");
        Patch patch = Patch.read(body, FIELDS.and(Patch.LIMITS));
        return admin.write(store -> {
            var now = admin.tenancy.now();
            EndUser e = patch.only(FIELDS).applyTo(Rows.blank(Table.END_USERS, id, now, p.alias()), EndUser.class, now);
            if (e.budgetId() != null) TenancyAdmin.existing(store, Table.BUDGETS, "budget", e.budgetId());
            e = TenancyJson.with(e, EndUser.class, "budget_id", Rows.budgetFor(store, e.budgetId(), patch, now, p.alias()));
            store.insert(Table.END_USERS, e);
            return TenancyAdmin.withBudget(e, e.budgetId(), store);
        });
    }

    private Future<ObjectNode> info(String prefix, Principal p, HttpServerRequest req) {
        admin.check(prefix + "/info", p, null, null);
        String id = AdminHttp.requiredParam(req, "end_user_id");
        return admin.read(store -> {
            EndUser e = TenancyAdmin.existing(store, Table.END_USERS, "end user", id);
            return TenancyAdmin.withBudget(e, e.budgetId(), store);
        });
    }

    private Future<ObjectNode> update(String prefix, Principal p, ObjectNode body) {
        admin.check(prefix + "/update", p, null, null);
        String id = AdminHttp.requiredName(body, "user_id");
        Patch patch = Patch.read(body, FIELDS.and(Patch.LIMITS));
        return admin.write(store -> {
            var now = admin.tenancy.now();
            EndUser e = patch.only(FIELDS).applyTo(TenancyAdmin.existing(store, Table.END_USERS, "end user", id), EndUser.class, now);
            if (patch.has("budget_id") && e.budgetId() != null) TenancyAdmin.existing(store, Table.BUDGETS, "budget", e.budgetId());
            e = TenancyJson.with(e, EndUser.class, "budget_id", Rows.budgetFor(store, e.budgetId(), patch, now, p.alias()));
            store.update(Table.END_USERS, e);
            return TenancyAdmin.withBudget(e, e.budgetId(), store);
        });
    }

    private Future<ObjectNode> delete(String prefix, Principal p, ObjectNode body) {
        admin.check(prefix + "/delete", p, null, null);
        List<String> ids = AdminHttp.stringList(body, "user_ids");
        if (ids.isEmpty()) throw GatewayException.badRequest("Give the end users to delete as {\"user_ids\": [\"...\"]}.", "user_ids");
        return admin.write(store -> {
            List<String> missing = ids.stream().filter(id -> store.find(Table.END_USERS, id).isEmpty()).toList();
            if (!missing.isEmpty()) throw GatewayException.notFound("No end user " + String.join(", ", missing) + "; nothing was deleted.", "user_ids");
            ids.forEach(id -> store.delete(Table.END_USERS, id));
            ObjectNode out = Json.object();
            out.put("deleted_customers", ids.size());
            out.put("message", "Successfully deleted customers with ids: " + ids);
            return out;
        });
    }

    private Future<ArrayNode> list(String prefix, Principal p) {
        admin.check(prefix + "/list", p, null, null);
        return admin.read(store -> {
            List<ObjectNode> out = new ArrayList<>();
            for (EndUser e : store.all(Table.END_USERS)) out.add(TenancyAdmin.withBudget(e, e.budgetId(), store));
            return TenancyAdmin.array(out);
        });
    }

    private Future<ObjectNode> block(String prefix, Principal p, ObjectNode body, boolean blocked) {
        admin.check(prefix + (blocked ? "/block" : "/unblock"), p, null, null);
        List<String> ids = AdminHttp.stringList(body, "user_ids");
        if (ids.isEmpty()) throw GatewayException.badRequest("Give the end users as {\"user_ids\": [\"...\"]}.", "user_ids");
        Patch patch = Patch.read(Json.object().put("blocked", blocked), FIELDS);
        return admin.write(store -> {
            var now = admin.tenancy.now();
            ArrayNode changed = Json.array();
            for (String id : ids) {
                // LiteLLM blocks an end user it has not seen yet too: the row is made, blocked.
                EndUser e = store.find(Table.END_USERS, id).orElse(null);
                if (e == null) store.insert(Table.END_USERS, e = patch.applyTo(Rows.blank(Table.END_USERS, id, now, p.alias()), EndUser.class, now));
                else store.update(Table.END_USERS, e = patch.applyTo(e, EndUser.class, now));
                changed.add(TenancyJson.of(e));
            }
            ObjectNode out = Json.object();
            out.set(blocked ? "blocked_users" : "unblocked_users", changed);
            return out;
        });
    }
}
