package dev.aigateway.cli.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.aigateway.cli.Workspace;
import dev.aigateway.config.ConfigLoader;
import dev.aigateway.config.DotEnv;
import dev.aigateway.config.GatewayConfig;
import dev.aigateway.config.Settings;
import dev.aigateway.core.ConfigException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What every check looks at: the workspace, the settings (flags, environment, .env), the configuration as the
 * gateway would load it, the pid of this workspace's background gateway, and the answers of the running gateway.
 *
 * <p>A master key without {@code sk-} stops {@link ConfigLoader}; the configuration is then loaded once more with a
 * placeholder key so that every other check still runs (the master-key check reports the real problem).
 */
public final class DoctorContext {
    static final String REQUEST_ID_PREFIX = "doctor-";
    private static final String PLACEHOLDER_KEY = "sk-doctor-placeholder";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Workspace workspace;
    private final Map<String, String> environment;
    private final Settings settings;
    private final GatewayConfig config;
    private final String configError;
    private final boolean masterKeyInvalid;
    private final Long gatewayPid;
    private final DoctorHttp http;
    private DoctorHttp.Answer readiness;

    private DoctorContext(Workspace workspace, Map<String, String> environment, Settings settings, GatewayConfig config,
                          String configError, boolean masterKeyInvalid, Long gatewayPid, DoctorHttp http) {
        this.workspace = workspace;
        this.environment = environment;
        this.settings = settings;
        this.config = config;
        this.configError = configError;
        this.masterKeyInvalid = masterKeyInvalid;
        this.gatewayPid = gatewayPid;
        this.http = http;
    }

    /**
     * @param flags      --port/--host/--config under their variable names, as for start and status
     * @param gatewayPid the live process named by data/gateway.pid, if any
     */
    public static DoctorContext load(Workspace ws, Map<String, String> flags, Map<String, String> env, Optional<Long> gatewayPid, DoctorHttp http) {
        Map<String, String> dotEnv;
        try {
            dotEnv = DotEnv.read(ws.dotEnv());
        } catch (RuntimeException e) { // unreadable .env: the file check says so
            dotEnv = Map.of();
        }
        Settings settings = new Settings(flags, env, dotEnv);
        GatewayConfig config = null;
        String error = null;
        boolean keyInvalid = false;
        try {
            config = ConfigLoader.load(flags, env, ws.home());
        } catch (ConfigException e) {
            error = e.getMessage();
            keyInvalid = e.code() == ConfigException.Code.MASTER_KEY_INVALID;
            if (keyInvalid) {
                Map<String, String> withPlaceholder = new HashMap<>(flags);
                withPlaceholder.put("GATEWAY_MASTER_KEY", PLACEHOLDER_KEY);
                try {
                    config = ConfigLoader.load(withPlaceholder, env, ws.home());
                } catch (ConfigException second) {
                    error = second.getMessage();
                }
            }
        } catch (RuntimeException e) {
            error = e.getMessage();
        }
        return new DoctorContext(ws, env, settings, config, error, keyInvalid, gatewayPid.orElse(null), http);
    }

    public Workspace workspace() { return workspace; }
    public Map<String, String> environment() { return environment; }
    public Settings settings() { return settings; }
    public DoctorHttp http() { return http; }

    /** The configuration, or null when it does not load (see {@link #configError()}). */
    public GatewayConfig config() { return config; }

    /** Why the configuration does not load as it is, or null. */
    public String configError() { return configError; }

    public boolean masterKeyInvalid() { return masterKeyInvalid; }

    /** The master key the gateway uses, or null (none configured, or not usable). */
    public String masterKey() {
        return config == null || masterKeyInvalid ? null : config.masterKey();
    }

    /** Where the master key comes from, for messages ("GATEWAY_MASTER_KEY in .env"). */
    public String masterKeySource() {
        for (String name : new String[]{"GATEWAY_MASTER_KEY", "LITELLM_MASTER_KEY"}) {
            if (nonBlank(environment.get(name))) return name + " in the environment";
            if (nonBlank(settings.dotEnv().get(name))) return name + " in .env";
        }
        return "general_settings.master_key in config.yaml";
    }

    public String virtualKey() {
        return settings.get("VIRTUAL_KEY");
    }

    public Optional<Long> gatewayPid() {
        return Optional.ofNullable(gatewayPid);
    }

    /** http://host:port of the configured address, or null when the configuration does not load. */
    public String baseUrl() {
        if (config == null) return null;
        String h = config.host().equals("0.0.0.0") || config.host().equals("::") ? "127.0.0.1" : config.host();
        return "http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + config.port();
    }

    /** GET /health/readiness of the configured address (asked once), or null when the configuration does not load. */
    public synchronized DoctorHttp.Answer readiness() {
        if (readiness == null && baseUrl() != null) readiness = gatewayGet("/health/readiness", null);
        return readiness;
    }

    /** An AI Gateway answers on the configured address (its readiness JSON came back, healthy or not). */
    public boolean gatewayAnswers() {
        DoctorHttp.Answer r = readiness();
        JsonNode j = r == null || !r.answered() ? null : r.json();
        return j != null && j.has("status") && j.has("db");
    }

    /**
     * A GET to the running gateway with a bearer key. Its request id starts with {@value #REQUEST_ID_PREFIX}, so the
     * log check does not count the doctor's own probes (e.g. a refused key) as trouble.
     */
    public DoctorHttp.Answer gatewayGet(String path, String bearer) {
        Map<String, String> headers = new HashMap<>();
        headers.put("x-request-id", REQUEST_ID_PREFIX + Long.toHexString(System.nanoTime()));
        if (bearer != null) headers.put("Authorization", "Bearer " + bearer);
        return http.get(baseUrl() + path, headers);
    }

    /** config.yaml as written (before os.environ/ is resolved), or an empty object. */
    public ObjectNode rawConfig() {
        Path file = config != null && config.configFile() != null ? config.configFile() : workspace.configYaml();
        try {
            if (!Files.isRegularFile(file)) return dev.aigateway.core.Json.object();
            JsonNode n = YAML.readTree(file.toFile());
            return n instanceof ObjectNode o ? o : dev.aigateway.core.Json.object();
        } catch (Exception e) {
            return dev.aigateway.core.Json.object();
        }
    }

    /** Replaces any secret the doctor knows with *** (provider messages may echo what they were sent). */
    public String redact(String text, String... secrets) {
        if (text == null) return null;
        String out = text;
        for (String s : secrets) if (s != null && s.length() >= 6) out = out.replace(s, "***");
        String mk = masterKey();
        if (mk != null) out = out.replace(mk, "***");
        return out;
    }

    static boolean nonBlank(String s) {
        return s != null && !s.isBlank();
    }
}
