package dev.aigateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.config.ConfigLoader;
import dev.aigateway.config.DotEnv;
import dev.aigateway.config.GatewayConfig;
import dev.aigateway.config.Settings;
import dev.aigateway.core.ConfigException;
import dev.aigateway.core.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * {@code virtual-key}: asks the running gateway ({@code POST /key/generate}, with the master key) for a key
 * with the budget of {@code BUDGET_PROFILE} (see {@link BudgetProfile}), saves it to {@code .env} as
 * {@code VIRTUAL_KEY} (mode 600) and shows it once. The alias is {@code open-webui}; when that is taken,
 * {@code open-webui-2}, {@code -3}, ... . Settings are read as every command reads them (flags, environment,
 * {@code .env}, config.yaml), through {@link #environment} so tests can supply an environment.
 */
@Command(name = "virtual-key", description = "Create a virtual key with the BUDGET_PROFILE budget (test, prod, unlimited) "
        + "and save it to .env as VIRTUAL_KEY.")
final class VirtualKeyCommand implements Callable<Integer> {
    static final String DEFAULT_ALIAS = "open-webui";
    private static final int MAX_ALIAS_TRIES = 100;
    /** Built on first use: picocli instantiates every subcommand, and an HttpClient costs `run` ~0.4 s of TLS set-up. */
    private static final class Client {
        static final HttpClient INSTANCE = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    }

    /** The process environment; a test replaces it (a running JVM's environment cannot be changed). */
    static Supplier<Map<String, String>> environment = System::getenv;

    @Mixin
    ServerOptions options;

    @Option(names = "--alias", paramLabel = "NAME", description = "key_alias of the new key (default: open-webui; -2, -3, ... is added when taken)")
    String alias;

    @Option(names = "--profile", paramLabel = "NAME", description = "budget profile: test, prod or unlimited (default: BUDGET_PROFILE, else test)")
    String profile;

    @Override
    public Integer call() {
        Map<String, String> env = environment.get();
        Workspace ws = workspace(env);
        Settings settings = new Settings(Map.of(), env, DotEnv.read(ws.dotEnv()));
        BudgetProfile budget;
        GatewayConfig config;
        try {
            budget = BudgetProfile.parse(profile != null ? profile : settings.get(BudgetProfile.VARIABLE));
            config = ConfigLoader.load(options.asFlags(), env, ws.home());
        } catch (IllegalArgumentException | ConfigException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
        String base = Http.baseUrl(config.host(), config.port());
        String wanted = alias != null && !alias.isBlank() ? alias.strip() : DEFAULT_ALIAS;
        for (int n = 1; n <= MAX_ALIAS_TRIES; n++) {
            String keyAlias = n == 1 ? wanted : wanted + "-" + n;
            HttpResponse<String> r = post(base + "/key/generate", Json.toString(budget.generateRequest(keyAlias)), config.masterKey());
            if (r == null) {
                System.err.println("error: the gateway is not running (nothing answers at " + base + "). Start it with ./ai-gateway start, "
                        + "then run ./ai-gateway virtual-key again.");
                return 1;
            }
            JsonNode body = Json.tryParse(r.body().getBytes(StandardCharsets.UTF_8));
            JsonNode error = body == null ? null : body.path("error");
            if (r.statusCode() == 400 && error != null && "key_alias".equals(error.path("param").asText())) continue; // taken: try the next
            if (r.statusCode() == 200 && body != null && body.path("key").isTextual()) {
                saved(ws, body.path("key").asText(), keyAlias, budget, config, base);
                return 0;
            }
            String message = error != null && error.has("message") ? error.path("message").asText() : r.body();
            if (r.statusCode() == 401 || r.statusCode() == 403) {
                System.err.println("error: the gateway at " + base + " refused the master key (HTTP " + r.statusCode() + ": " + message
                        + "). GATEWAY_MASTER_KEY in " + ws.dotEnv() + " must be the one the running gateway was started with.");
            } else {
                System.err.println("error: /key/generate failed (HTTP " + r.statusCode() + "): " + message);
            }
            return 1;
        }
        System.err.println("error: the key aliases " + wanted + " to " + wanted + "-" + MAX_ALIAS_TRIES + " are all taken; choose one with --alias NAME.");
        return 1;
    }

    private static void saved(Workspace ws, String key, String keyAlias, BudgetProfile budget, GatewayConfig config, String base) {
        DotEnv.put(ws.dotEnv(), Map.of("VIRTUAL_KEY", key));
        System.out.println("Created virtual key '" + keyAlias + "' with budget profile " + budget.id() + " (" + budget.describe() + "):");
        System.out.println();
        System.out.println("  " + key);
        System.out.println();
        System.out.println("Saved to " + ws.dotEnv() + " as VIRTUAL_KEY. The gateway keeps only a hash of it and will not show it again.");
        System.out.println("Give it to your client (e.g. Open WebUI) as the OpenAI API key, with base URL " + base + "/v1.");
        System.out.println("Spend and limits: curl '" + base + "/key/info' -H \"Authorization: Bearer $VIRTUAL_KEY\"");
        if (config.masterKey() == null) {
            System.out.println("Note: no master key is configured, so the gateway does not check keys yet. Run ./ai-gateway setup to require them.");
        }
    }

    /** GATEWAY_HOME from the given environment, else the current directory (as {@link Workspace#current()}). */
    private static Workspace workspace(Map<String, String> env) {
        String h = env.get("GATEWAY_HOME");
        return new Workspace(Path.of(h != null && !h.isBlank() ? h : "").toAbsolutePath().normalize());
    }

    /** POST returning status and body, or null when nothing answers. */
    private static HttpResponse<String> post(String url, String json, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) b.header("authorization", "Bearer " + bearer);
        try {
            return Client.INSTANCE.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
