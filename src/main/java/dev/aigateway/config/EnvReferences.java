package dev.aigateway.config;

import dev.aigateway.core.ConfigException;
import dev.aigateway.core.SecretParams;

import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Where {@code os.environ/NAME} (LiteLLM's way to read a value from the environment) is honoured, and where not.
 *
 * <ul>
 *   <li>config.yaml: in every {@code litellm_params} field, as LiteLLM does ({@code api_key}, {@code api_base},
 *       {@code api_version}...). The file is the operator's own.</li>
 *   <li>runtime models (admin API, UI, {@code /model/test}): only in credential fields, and only for the variables the
 *       operator listed in {@code general_settings.runtime_model_env_vars}. Whoever holds an admin key is not
 *       necessarily the operator: without this rule {@code "api_base": "os.environ/GATEWAY_MASTER_KEY"} would read
 *       the master key back, and {@code "api_key": "os.environ/GATEWAY_SALT_KEY"} with an api_base of one's own would
 *       send the salt key there.</li>
 * </ul>
 * A resolved value is never put into a message: errors name the field and the variable, not what it holds.
 */
public final class EnvReferences {
    public static final String PREFIX = "os.environ/";

    private final UnaryOperator<String> environment;
    /** null: any variable, in any field (config.yaml) */
    private final Set<String> allowed;

    private EnvReferences(UnaryOperator<String> environment, Set<String> allowed) {
        this.environment = environment == null ? n -> null : environment;
        this.allowed = allowed;
    }

    public static EnvReferences configFile(UnaryOperator<String> environment) {
        return new EnvReferences(environment, null);
    }

    public static EnvReferences runtimeModels(UnaryOperator<String> environment, Set<String> allowedNames) {
        return new EnvReferences(environment, Set.copyOf(allowedNames));
    }

    /**
     * A variable a provider reads by default when the config names no value (AWS_REGION for Bedrock, as LiteLLM reads
     * it); null when unset, and always null for models added through the admin API, which may read only the variables
     * they name.
     */
    public String providerDefault(String name) {
        if (allowed != null) return null;
        String v = environment.apply(name);
        return v == null || v.isBlank() ? null : v;
    }

    public static boolean isReference(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    /**
     * The value of {@code field} (an {@code os.environ/NAME} reference) in {@code where}.
     *
     * @throws ConfigException when the reference is not allowed there, or the variable is not set
     */
    public String resolve(String where, String field, String reference) {
        String name = reference.substring(PREFIX.length());
        String path = where + "." + field;
        if (allowed != null) {
            if (!SecretParams.isSecret(field)) {
                throw new ConfigException(path, path + " is " + reference + ", but a model added through the admin API may read the "
                        + "environment only in a credential field (api_key, ...). Write the value itself.");
            }
            if (!allowed.contains(name)) {
                throw new ConfigException(path, path + " refers to the environment variable " + name + ", which models added through "
                        + "the admin API may not read: the operator lists the ones they may in general_settings.runtime_model_env_vars"
                        + (allowed.isEmpty() ? " (none are listed)." : " (" + String.join(", ", new java.util.TreeSet<>(allowed)) + ")."));
            }
        }
        String value = environment.apply(name);
        if (value == null) {
            throw new ConfigException(path, path + " refers to the environment variable " + name
                    + ", which is not set (in the environment or .env).");
        }
        return value;
    }
}
