package dev.aigateway.cli;

import dev.aigateway.cli.litellm.ImportReport;
import dev.aigateway.cli.litellm.LiteLlmImport;
import dev.aigateway.cli.litellm.LiteLlmSource;
import dev.aigateway.config.ConfigLoader;
import dev.aigateway.config.DotEnv;
import dev.aigateway.config.Settings;
import dev.aigateway.config.GatewayConfig;
import dev.aigateway.core.ConfigException;
import dev.aigateway.db.Database;
import dev.aigateway.db.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * {@code import-litellm --from postgresql://...}: reads a LiteLLM proxy's database and imports it into the gateway's
 * (DATABASE_URL, read as every command reads its settings): see {@link LiteLlmImport}. A dry run unless
 * {@code --apply}. LiteLLM's salt key comes from {@code --litellm-salt-key}, else {@code LITELLM_SALT_KEY}, else
 * {@code LITELLM_MASTER_KEY} (what LiteLLM encrypted with when it had no salt key); it is never printed, nor is the
 * password of either database.
 */
@Command(name = "import-litellm", description = "Import a LiteLLM proxy's database (keys, models, teams, users, organizations, "
        + "budgets, spend history) into this gateway's. Dry run unless --apply.")
final class ImportLiteLlmCommand implements Callable<Integer> {
    /** The process environment; a test replaces it. */
    static Supplier<Map<String, String>> environment = System::getenv;

    @Option(names = "--from", required = true, paramLabel = "URL", description = "LiteLLM's DATABASE_URL: postgresql://user:password@host:5432/litellm")
    String from;

    @Option(names = "--apply", description = "write the import (default: a dry run that writes nothing)")
    boolean apply;

    @Option(names = "--litellm-salt-key", paramLabel = "KEY", description = "LiteLLM's LITELLM_SALT_KEY, to decrypt its model "
            + "credentials (default: the LITELLM_SALT_KEY environment variable, else LITELLM_MASTER_KEY); prefer the variable: "
            + "command lines are visible to other users")
    String saltKey;

    @Option(names = "--config", paramLabel = "FILE", description = "config.yaml to use (default: ./config.yaml if present)")
    String config;

    @Option(names = "--page-size", paramLabel = "N", description = "rows per page (default ${DEFAULT-VALUE}, at most 5000)")
    int pageSize = LiteLlmImport.DEFAULT_PAGE_SIZE;

    @Override
    public Integer call() {
        Map<String, String> env = environment.get();
        GatewayConfig cfg;
        LiteLlmImport job;
        try {
            Map<String, String> flags = new HashMap<>();
            if (config != null) flags.put("GATEWAY_CONFIG", config);
            cfg = ConfigLoader.load(flags, env, home(env));
            job = new LiteLlmImport(cfg, apply, litellmSaltKey(env), pageSize);
        } catch (IllegalArgumentException | ConfigException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
        try (LiteLlmSource source = LiteLlmSource.open(from)) {
            try (Database target = Database.open(cfg.databaseUrl(), 2)) {
                System.out.println((apply ? "Importing" : "Dry run: reading") + " LiteLLM's database " + source.display()
                        + " into " + target.displayUrl() + (apply ? "" : " (nothing is written)"));
                if (job.litellmSaltKey() == null) {
                    System.out.println("No LiteLLM salt key given (LITELLM_SALT_KEY or --litellm-salt-key): models with encrypted "
                            + "credentials cannot be imported.");
                }
                ImportReport report = job.run(source, target, System.out);
                report.print(System.out);
                if (apply) {
                    System.out.println();
                    System.out.println("Restart the gateway (./ai-gateway stop, then start) so that it loads what was imported.");
                }
                return report.totalFailed() == 0 ? 0 : 2;
            }
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        } catch (StoreException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        } catch (SQLException e) {
            System.err.println("error: " + LiteLlmSource.mask(String.valueOf(e.getMessage())));
            return 1;
        }
    }

    /** The flag, else LITELLM_SALT_KEY, else LITELLM_MASTER_KEY, from the environment or .env. */
    private String litellmSaltKey(Map<String, String> env) {
        if (saltKey != null && !saltKey.isBlank()) return saltKey;
        Workspace ws = new Workspace(home(env));
        Settings settings = new Settings(Map.of(), env, DotEnv.read(ws.dotEnv()));
        String v = settings.get("LITELLM_SALT_KEY", "LITELLM_MASTER_KEY");
        return v == null || v.isBlank() ? null : v;
    }

    private static Path home(Map<String, String> env) {
        String h = env.get("GATEWAY_HOME");
        return Path.of(h != null && !h.isBlank() ? h : "").toAbsolutePath().normalize();
    }
}
