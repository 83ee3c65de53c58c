package dev.aigateway.config;

import java.util.Map;

/**
 * The layered key/value sources of PRODUCT.md's precedence, highest first: command-line flags, the
 * process environment, the {@code .env} file. (config.yaml and defaults come after, in {@link ConfigLoader}.)
 */
public record Settings(Map<String, String> flags, Map<String, String> environment, Map<String, String> dotEnv) {

    /** The first value found for any of the names, searching each layer in order of precedence. */
    public String get(String... names) {
        for (Map<String, String> layer : new Map[]{flags, environment, dotEnv}) {
            for (String n : names) {
                String v = layer.get(n);
                if (v != null && !v.isBlank()) return v;
            }
        }
        return null;
    }

    /** Resolves {@code os.environ/NAME} (LiteLLM's indirection) against the environment, then .env. */
    public String env(String name) {
        String v = environment.get(name);
        return v != null ? v : dotEnv.get(name);
    }
}
