package dev.aigateway.server.admin;

import dev.aigateway.governance.keys.KeyService;
import dev.aigateway.governance.tenancy.TenancyService;
import dev.aigateway.server.RequestPipeline;
import dev.aigateway.server.Routes;

/**
 * The LiteLLM-compatible admin API: {@code /key/*}, {@code /model/*}, {@code /spend/*}, and the tenancy: {@code /team/*},
 * {@code /user/*}, {@code /organization/*}, {@code /budget/*}, {@code /customer/*} ({@code /end_user/*}). Key, model and
 * spend routes need the master key or an admin key; the tenancy routes follow {@link AdminPolicy}'s roles. All do their
 * database work on worker threads.
 */
public final class AdminRoutes {
    private AdminRoutes() {}

    public static void register(Routes routes, KeyAdminHandler keys, ModelAdminHandler models, SpendAdminHandler spend) {
        keys.register(routes);
        models.register(routes);
        spend.register(routes);
    }

    /** The tenancy routes, one handler per entity family, sharing one {@link TenancyAdmin}. */
    public static void registerTenancy(Routes routes, RequestPipeline pipeline, TenancyService tenancy, KeyService keys) {
        TenancyAdmin admin = new TenancyAdmin(new AdminHttp(pipeline), tenancy, keys);
        new TeamAdminHandler(admin).register(routes);
        new UserAdminHandler(admin).register(routes);
        new BudgetAdminHandler(admin).register(routes);
        new OrganizationAdminHandler(admin).register(routes);
        new EndUserAdminHandler(admin).register(routes);
    }
}
