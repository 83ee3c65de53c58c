package dev.aigateway.cli.litellm;

import dev.aigateway.config.GatewayConfig;
import dev.aigateway.db.Database;

import java.io.PrintStream;
import java.sql.SQLException;

/**
 * {@code import-litellm}: a LiteLLM proxy's database into the gateway's, table by table in the order references
 * need (budgets, organizations, teams and members, users, end users, keys, models, spend history). A dry run reads
 * everything and writes nothing; {@code apply} writes. Rows already there are never replaced, so running it again
 * imports only what is new.
 *
 * @param litellmSaltKey LiteLLM's salt key for its encrypted model credentials (null: models with encrypted values fail)
 * @param pageSize       rows read and written per page (memory stays bounded by it)
 */
public record LiteLlmImport(GatewayConfig config, boolean apply, String litellmSaltKey, int pageSize) {
    public static final int DEFAULT_PAGE_SIZE = 1000;
    public static final int MAX_PAGE_SIZE = 5000;

    public LiteLlmImport {
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) throw new IllegalArgumentException("--page-size must be 1 to " + MAX_PAGE_SIZE);
    }

    public ImportReport run(LiteLlmSource source, Database target, PrintStream progress) throws SQLException {
        ImportReport report = new ImportReport(apply);
        Target t = new Target(target, apply);
        long now = System.currentTimeMillis();
        progress.println("Reading tenancy (budgets, organizations, teams, users, end users)...");
        new TenancyImporter(source, t, report, pageSize, now).run();
        progress.println("Reading virtual keys...");
        new KeyImporter(source, t, report, pageSize, now).run();
        progress.println("Reading models...");
        new ModelImporter(source, t, report, pageSize, config, litellmSaltKey).run();
        progress.println("Reading spend logs...");
        new SpendImporter(source, t, report, pageSize, progress).run();
        return report;
    }
}
