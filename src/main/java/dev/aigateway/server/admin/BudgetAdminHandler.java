package dev.aigateway.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.governance.Principal;
import dev.aigateway.governance.tenancy.Budget;
import dev.aigateway.governance.tenancy.Patch;
import dev.aigateway.governance.tenancy.Rows;
import dev.aigateway.governance.tenancy.Table;
import dev.aigateway.governance.tenancy.TenancyJson;
import dev.aigateway.governance.tenancy.TenancySnapshot;
import dev.aigateway.server.Routes;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.util.ArrayList;
import java.util.List;

/**
 * LiteLLM's named budgets: {@code /budget/new|info|update|delete|list}. A budget still referenced by an organization,
 * a team, a membership or an end user is not deleted (400 naming who uses it).
 */
public final class BudgetAdminHandler {
    private final TenancyAdmin admin;

    BudgetAdminHandler(TenancyAdmin admin) {
        this.admin = admin;
    }

    void register(Routes routes) {
        AdminHttp http = admin.http;
        routes.add(HttpMethod.POST, "/budget/new", req -> http.withBody(req, this::create))
                .add(HttpMethod.POST, "/budget/update", req -> http.withBody(req, this::update))
                .add(HttpMethod.POST, "/budget/info", req -> http.withBody(req, this::info))
                .add(HttpMethod.GET, "/budget/list", req -> http.withQuery(req, this::list))
                .add(HttpMethod.POST, "/budget/delete", req -> http.withBody(req, this::delete));
    }

    private Future<ObjectNode> create(Principal p, ObjectNode body) {
        admin.check("/budget/new", p, null, null);
        String id = AdminHttp.optionalName(body, "budget_id");
        Patch patch = Patch.read(body, Patch.LIMITS);
        return admin.write(store -> {
            var now = admin.tenancy.now();
            Budget b = patch.applyTo(Rows.blank(Table.BUDGETS, id != null ? id : Rows.newId(), now, p.alias()), Budget.class, now);
            store.insert(Table.BUDGETS, b);
            return TenancyJson.of(b);
        });
    }

    private Future<ObjectNode> update(Principal p, ObjectNode body) {
        admin.check("/budget/update", p, null, null);
        String id = AdminHttp.requiredName(body, "budget_id");
        Patch patch = Patch.read(body, Patch.LIMITS);
        return admin.write(store -> {
            Budget b = patch.applyTo(TenancyAdmin.existing(store, Table.BUDGETS, "budget", id), Budget.class, admin.tenancy.now());
            store.update(Table.BUDGETS, TenancyJson.with(b, Budget.class, "updated_by", p.alias()));
            return TenancyJson.of(store.find(Table.BUDGETS, id).orElseThrow());
        });
    }

    /** LiteLLM's {@code POST /budget/info {"budgets": [...]}}: the budgets named, each must exist. */
    private Future<ArrayNode> info(Principal p, ObjectNode body) {
        admin.check("/budget/info", p, null, null);
        List<String> ids = AdminHttp.stringList(body, "budgets");
        if (ids.isEmpty()) throw GatewayException.badRequest("Give the budgets to read as {\"budgets\": [\"...\"]}.", "budgets");
        return admin.read(store -> {
            List<ObjectNode> out = new ArrayList<>();
            for (String id : ids) out.add(TenancyJson.of(TenancyAdmin.existing(store, Table.BUDGETS, "budget", id)));
            return TenancyAdmin.array(out);
        });
    }

    private Future<ArrayNode> list(Principal p, HttpServerRequest req) {
        admin.check("/budget/list", p, null, null);
        return admin.read(store -> TenancyAdmin.array(store.all(Table.BUDGETS).stream().map(TenancyJson::of).toList()));
    }

    private Future<ObjectNode> delete(Principal p, ObjectNode body) {
        admin.check("/budget/delete", p, null, null);
        String id = AdminHttp.requiredName(body, "id");
        return admin.write(store -> {
            Budget b = TenancyAdmin.existing(store, Table.BUDGETS, "budget", id);
            String user = usedBy(store.load(), id);
            if (user != null) throw GatewayException.badRequest("Budget '" + id + "' is used by " + user + "; point it elsewhere first.", "id");
            store.delete(Table.BUDGETS, id);
            return TenancyJson.of(b);
        });
    }

    private static String usedBy(TenancySnapshot s, String id) {
        for (var o : s.organizations().values()) if (id.equals(o.budgetId())) return "organization '" + o.organizationId() + "'";
        for (var t : s.teams().values()) if (id.equals(t.memberBudgetId())) return "the members of team '" + t.teamId() + "'";
        for (var m : s.teamMembers().values()) if (id.equals(m.budgetId())) return "the membership " + m.id();
        for (var e : s.endUsers().values()) if (id.equals(e.budgetId())) return "end user '" + e.userId() + "'";
        return null;
    }
}
