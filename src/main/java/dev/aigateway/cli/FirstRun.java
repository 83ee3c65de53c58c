package dev.aigateway.cli;

import dev.aigateway.config.DotEnv;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code start} does on a fresh checkout so that the first request works: a {@code .env} with a
 * generated master key and salt key (mode 600), and a {@code config.yaml} with the built-in mock model
 * and commented examples for every provider. Existing files and secrets are never overwritten.
 */
final class FirstRun {
    private FirstRun() {}

    /** Creates what is missing and returns a line for each thing created. */
    static List<String> prepare(Workspace ws, Map<String, String> env) {
        List<String> created = new ArrayList<>();
        Map<String, String> dotEnv = DotEnv.read(ws.dotEnv());
        Map<String, String> add = new LinkedHashMap<>();
        if (!has(env, dotEnv, "GATEWAY_MASTER_KEY") && !has(env, dotEnv, "LITELLM_MASTER_KEY") && !configHasMasterKey(ws)) {
            add.put("GATEWAY_MASTER_KEY", Secrets.newKey());
        }
        if (!has(env, dotEnv, "GATEWAY_SALT_KEY") && !has(env, dotEnv, "LITELLM_SALT_KEY")) {
            add.put("GATEWAY_SALT_KEY", Secrets.randomBase62(48));
        }
        if (!add.isEmpty()) {
            DotEnv.put(ws.dotEnv(), add);
            created.add("Wrote " + String.join(" and ", add.keySet()) + " to " + ws.dotEnv() + " (mode 600).");
        }
        if (!Files.exists(ws.configYaml()) && env.get("GATEWAY_CONFIG") == null && dotEnv.get("GATEWAY_CONFIG") == null) {
            try (InputStream in = FirstRun.class.getResourceAsStream("/config/default-config.yaml")) {
                Files.write(ws.configYaml(), in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            created.add("Wrote " + ws.configYaml() + " with the built-in `mock` model and commented examples for each provider.");
        }
        return created;
    }

    private static boolean has(Map<String, String> env, Map<String, String> dotEnv, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) v = dotEnv.get(name);
        return v != null && !v.isBlank();
    }

    private static boolean configHasMasterKey(Workspace ws) {
        try {
            return Files.exists(ws.configYaml()) && Files.readString(ws.configYaml()).matches("(?s).*\\n\\s*master_key\\s*:.*");
        } catch (IOException e) {
            return false;
        }
    }
}
