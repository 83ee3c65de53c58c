package dev.aigateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.aigateway.core.ConfigException;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.Json;
import dev.aigateway.router.RouterSettings;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link GatewayConfig} with the documented precedence: flags > environment > .env > config.yaml
 * > defaults. Every setting and environment variable the server uses is read here (or by the settings records it
 * calls), once. config.yaml is LiteLLM's format. Unknown keys are ignored with a warning; invalid values
 * throw a {@link ConfigException} naming the key.
 */
public final class ConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> TOP_LEVEL = Set.of("model_list", "router_settings", "general_settings",
            "litellm_settings", "environment_variables");
    /** router_settings keys this gateway reads. */
    private static final Set<String> ROUTER = RouterSettings.KEYS;

    /** general_settings.max_request_size_mb: 1 KiB (less cannot hold a chat request) to 1 TiB. */
    static final double MIN_REQUEST_SIZE_MB = 0.001;
    static final double MAX_REQUEST_SIZE_MB = 1 << 20;

    private ConfigLoader() {}

    /**
     * @param flags   command-line values under their variable names (GATEWAY_PORT, GATEWAY_HOST, GATEWAY_CONFIG)
     * @param env     the process environment
     * @param workDir where {@code .env}, {@code config.yaml} and {@code data/} are looked for
     */
    public static GatewayConfig load(Map<String, String> flags, Map<String, String> env, Path workDir) {
        Settings s = new Settings(flags, env, DotEnv.read(workDir.resolve(".env")));
        List<String> warnings = new ArrayList<>();

        Path configFile = configFile(s, workDir);
        ObjectNode yaml = configFile == null ? defaultConfig() : readYaml(configFile);
        Map<String, String> yamlEnv = new HashMap<>();
        yaml.path("environment_variables").properties().forEach(e -> yamlEnv.put(e.getKey(), e.getValue().asText()));
        for (Map.Entry<String, JsonNode> e : yaml.properties()) {
            if (!TOP_LEVEL.contains(e.getKey())) warnings.add("config.yaml: top-level key '" + e.getKey() + "' is not known and was ignored.");
        }
        ObjectNode general = section(yaml, "general_settings");
        ObjectNode router = section(yaml, "router_settings");
        ObjectNode litellm = section(yaml, "litellm_settings");
        YamlSection generalSettings = new YamlSection("general_settings", general);
        warnUnknown(general, GeneralSettings.KEYS, "general_settings", warnings);
        warnUnknown(router, ROUTER, "router_settings", warnings);

        java.util.function.UnaryOperator<String> resolve = name -> {
            String v = s.env(name);
            return v != null ? v : yamlEnv.get(name);
        };

        String masterKey = s.get("GATEWAY_MASTER_KEY", "LITELLM_MASTER_KEY");
        if (masterKey == null) masterKey = resolved(generalSettings, "master_key", resolve);
        if (masterKey != null && !masterKey.startsWith("sk-")) {
            throw new ConfigException(ConfigException.Code.MASTER_KEY_INVALID, "GATEWAY_MASTER_KEY", "master key invalid: GATEWAY_MASTER_KEY (or LITELLM_MASTER_KEY / general_settings.master_key) "
                    + "must start with 'sk-', e.g. sk-1234567890abcdef.... Fix it in .env or re-run ./ai-gateway setup.");
        }
        String databaseUrl = s.get("DATABASE_URL");
        if (databaseUrl == null) databaseUrl = resolved(generalSettings, "database_url", resolve);
        Path dataDir = workDir.resolve("data");
        if (databaseUrl == null) databaseUrl = "sqlite:" + dataDir.resolve("gateway.db");

        int port = port(s.get("GATEWAY_PORT", "PORT"));
        String host = s.get("GATEWAY_HOST");
        if (host == null) host = GatewayConfig.DEFAULT_HOST;

        long maxHeap = Runtime.getRuntime().maxMemory();
        long maxBytes = GatewayConfig.defaultMaxRequestBytes(maxHeap);
        if (generalSettings.has("max_request_size_mb")) {
            maxBytes = (long) (generalSettings.number("max_request_size_mb", 0, MIN_REQUEST_SIZE_MB, MAX_REQUEST_SIZE_MB, "MiB") * 1024 * 1024);
        }

        TransportSettings transport = TransportSettings.parse(s, maxHeap);
        if (maxBytes > transport.bodyMemoryBytes()) {
            warnings.add("general_settings.max_request_size_mb (" + maxBytes / (1024 * 1024) + " MiB) is more than the memory request bodies may "
                    + "use (GATEWAY_BODY_MEMORY_MB, " + transport.bodyMemoryBytes() / (1024 * 1024) + " MiB): bodies that large will be refused.");
        }

        GeneralSettings generalParsed = GeneralSettings.parse(generalSettings);
        List<Deployment> deployments = deployments(yaml.get("model_list"), resolve, router, warnings);
        return new GatewayConfig(host, port, masterKey, databaseUrl, s.get("REDIS_URL"),
                s.get("GATEWAY_SALT_KEY", "LITELLM_SALT_KEY"), configFile, dataDir, maxBytes, deployments,
                router, litellm, RouterSettingsReader.read(router, generalParsed.healthCheckInterval()), List.copyOf(warnings), resolve,
                generalParsed, SecuritySettings.parse(generalSettings, s), transport, ResourceSettings.parse(s), LogSettings.parse(s),
                UiSettings.parse(masterKey, resolve));
    }

    /** The deployments of a model_list; duplicate entries get distinct ids. */
    static List<Deployment> deployments(JsonNode modelList, java.util.function.UnaryOperator<String> resolve,
                                        ObjectNode routerDefaults, List<String> warnings) {
        List<Deployment> out = new ArrayList<>();
        if (modelList == null || modelList.isNull()) return out;
        if (!modelList.isArray()) throw new ConfigException("model_list must be a list of models.");
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < modelList.size(); i++) {
            Deployment d = DeploymentParser.parse(modelList.get(i), "model_list[" + i + "]", EnvReferences.configFile(resolve),
                    routerDefaults, true, warnings);
            String id = d.id();
            for (int n = 2; !ids.add(id); n++) id = d.id() + "-" + n;
            if (!id.equals(d.id())) d = d.withId(id);
            out.add(d);
        }
        return out;
    }

    private static Path configFile(Settings s, Path workDir) {
        String explicit = s.get("GATEWAY_CONFIG");
        if (explicit != null) {
            Path p = workDir.resolve(explicit);
            if (!Files.isRegularFile(p)) throw new ConfigException("GATEWAY_CONFIG / --config points to " + p + ", which does not exist.");
            return p;
        }
        Path p = workDir.resolve("config.yaml");
        return Files.isRegularFile(p) ? p : null;
    }

    /** The configuration used when there is no config.yaml: one model on the built-in mock provider. */
    public static ObjectNode defaultConfig() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream("/config/default-config.yaml")) {
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode readYaml(Path file) {
        try {
            JsonNode n = YAML.readTree(file.toFile());
            if (n == null || n.isNull() || n.isMissingNode()) return Json.object();
            if (!(n instanceof ObjectNode o)) throw new ConfigException(file + " must be a YAML mapping (model_list:, router_settings:, ...).");
            return o;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            var at = e.getLocation();
            throw new ConfigException(file + " is not valid YAML" + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")")
                    + ": " + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new ConfigException("Cannot read " + file + ": " + e.getMessage());
        }
    }

    private static ObjectNode section(ObjectNode yaml, String name) {
        JsonNode n = yaml.get(name);
        if (n == null || n.isNull()) return Json.object();
        if (!(n instanceof ObjectNode o)) throw new ConfigException(name + " must be a mapping.");
        return o;
    }

    private static void warnUnknown(ObjectNode section, Set<String> known, String name, List<String> warnings) {
        for (Map.Entry<String, JsonNode> e : section.properties()) {
            if (!known.contains(e.getKey())) warnings.add(name + "." + e.getKey() + " is not supported yet and was ignored.");
        }
    }

    private static String resolved(YamlSection section, String key, java.util.function.UnaryOperator<String> resolve) {
        String s = section.text(key);
        if (s == null) return null;
        if (s.startsWith("os.environ/")) {
            String name = s.substring("os.environ/".length());
            String r = resolve.apply(name);
            if (r == null) throw new ConfigException(section.path(key) + " refers to " + name + ", which is not set.");
            return r;
        }
        return s;
    }

    private static int port(String value) {
        if (value == null) return GatewayConfig.DEFAULT_PORT;
        try {
            int p = Integer.parseInt(value.strip());
            if (p < 1 || p > 65535) throw new NumberFormatException();
            return p;
        } catch (NumberFormatException e) {
            throw new ConfigException("GATEWAY_PORT (or --port) must be a port number from 1 to 65535, not '" + value + "'.");
        }
    }
}
