package dev.aigateway.cli.doctor;

import dev.aigateway.cli.BudgetProfile;
import dev.aigateway.cli.setup.SetupInput;
import dev.aigateway.config.GatewayConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * The configuration loads as {@code start} would load it (flags, environment, .env, config.yaml), with no ignored
 * keys, and the profiles in .env are known names (the LiteLLM setup scripts' "Invalid budget profile" case).
 */
public final class ConfigurationCheck implements Check {
    static final String NAME = "configuration";

    @Override
    public List<Finding> run(DoctorContext ctx) {
        List<Finding> out = new ArrayList<>();
        GatewayConfig c = ctx.config();
        if (c == null) {
            out.add(Finding.fail(NAME, ctx.configError(), "fix what the message names in config.yaml or .env, then run ./ai-gateway doctor again"));
        } else {
            String where = c.configFile() == null ? "built-in default configuration" : String.valueOf(c.configFile().getFileName());
            if (ctx.masterKeyInvalid()) where += " (apart from the master key, below)";
            out.add(Finding.pass(NAME, where + " loads: " + c.deployments().size() + " model deployment(s), " + c.host() + ":" + c.port()
                    + ", database " + (c.databaseUrl().startsWith("sqlite:") ? "SQLite" : "PostgreSQL")));
            for (String w : c.warnings()) {
                out.add(Finding.warn(NAME, w, "remove or correct that key in " + where.split(" ")[0]));
            }
        }
        String budget = ctx.settings().get(BudgetProfile.VARIABLE);
        if (budget != null) {
            try {
                SetupInput.budgetProfile(budget);
            } catch (IllegalArgumentException e) {
                out.add(Finding.fail("budget profile", e.getMessage(), "BUDGET_PROFILE=test (or prod, unlimited) in .env"));
            }
        }
        String resources = ctx.settings().get("GATEWAY_RESOURCE_PROFILE", "RESOURCE_PROFILE");
        if (resources != null) {
            try {
                SetupInput.resourceProfile(resources);
            } catch (IllegalArgumentException e) {
                out.add(Finding.fail("resource profile", e.getMessage(), "RESOURCE_PROFILE=small (or medium, large) in .env"));
            }
        }
        return out;
    }
}
