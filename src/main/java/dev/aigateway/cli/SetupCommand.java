package dev.aigateway.cli;

import dev.aigateway.cli.setup.CloudModels;
import dev.aigateway.cli.setup.Prompter;
import dev.aigateway.cli.setup.RandomPort;
import dev.aigateway.cli.setup.SetupInput;
import dev.aigateway.config.DotEnv;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code setup}: writes {@code .env} (mode 600) with a master key, a salt key, the listen address, the budget and
 * resource profiles and the database (and Redis) URLs, and a {@code config.yaml} (mode 644) with commented examples
 * when there is none. Interactive by default (hidden input for secrets); {@code --non-interactive} takes flags and
 * defaults. Running it again keeps what exists: secrets are replaced only after an explicit "yes", and never
 * without a question. A port that is taken is replaced by a random free one in 49152-65535 (offered, or chosen
 * and printed when non-interactive).
 */
@Command(name = "setup", description = "Create or update .env (master key, salt key, port, profiles, database) and config.yaml.")
final class SetupCommand implements Callable<Integer> {
    private static final int MAX_TRIES = 5;

    /** Where questions go; a test supplies its own streams. */
    static Supplier<Prompter> prompter = Prompter::forStandardStreams;
    /** The workspace written; a test supplies a temporary one (a JVM cannot change its own working directory). */
    static Supplier<Workspace> workspace = Workspace::current;

    @Option(names = "--non-interactive", description = "ask nothing: use the flags, then the values already in .env, then defaults")
    boolean nonInteractive;

    @Option(names = "--port", paramLabel = "N", description = "port to listen on, 1024-65535 (default 4000)")
    String port;

    @Option(names = "--host", paramLabel = "H", description = "address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)")
    String host;

    @Option(names = "--budget-profile", paramLabel = "NAME", description = "budget of keys made by virtual-key: test, prod or unlimited (default test)")
    String budgetProfile;

    @Option(names = "--resource-profile", paramLabel = "NAME", description = "memory profile: small, medium or large (default small)")
    String resourceProfile;

    @Option(names = "--database-url", paramLabel = "URL", description = "sqlite:PATH or postgresql://user:pass@host:5432/db (default " + SetupInput.DEFAULT_DATABASE_URL + ")")
    String databaseUrl;

    @Option(names = "--redis-url", paramLabel = "URL", description = "redis://host:6379, for several instances (default: none)")
    String redisUrl;

    @Option(names = "--bedrock-region", paramLabel = "REGION", description = "add an AWS Bedrock model in this region (keys from .env, else the machine's role/profile)")
    String bedrockRegion;

    @Option(names = "--vertex-project", paramLabel = "ID", description = "add a Google Vertex AI model in this project")
    String vertexProject;

    @Option(names = "--vertex-location", paramLabel = "LOCATION", description = "Vertex AI location (default " + CloudModels.DEFAULT_LOCATION + ")")
    String vertexLocation;

    @Option(names = "--vertex-credentials-file", paramLabel = "PATH", description = "service account key file for Vertex AI (default: Application Default Credentials)")
    String vertexCredentialsFile;

    private final List<String> notes = new ArrayList<>();
    private String cloudYaml = "";
    private boolean keptInvalidMasterKey;

    @Override
    public Integer call() {
        Workspace ws = workspace.get();
        Map<String, String> existing = DotEnv.read(ws.dotEnv());
        Prompter ask = nonInteractive ? null : prompter.get();
        Map<String, String> values = new LinkedHashMap<>();
        try {
            if (ask != null) {
                ask.say("AI Gateway setup: writes " + ws.dotEnv() + " (mode 600) and " + ws.configYaml() + ".");
                ask.say("Press Enter to keep the value in brackets.");
            }
            secrets(ws, existing, ask, values);
            String h = value(ask, "Address to listen on (127.0.0.1: this machine only, 0.0.0.0: every interface)", host,
                    first(existing, "GATEWAY_HOST"), "127.0.0.1", SetupInput::host);
            int p = port(ws, existing, ask, h);
            values.put("GATEWAY_PORT", Integer.toString(p));
            values.put("GATEWAY_HOST", h);
            values.put("BUDGET_PROFILE", value(ask, "Budget profile for virtual keys (test: 5 USD/30 days, prod: 100 USD/30 days, unlimited)",
                    budgetProfile, first(existing, "BUDGET_PROFILE"), "test", SetupInput::budgetProfile));
            values.put("RESOURCE_PROFILE", value(ask, "Resource profile (small: 2 GB machine, medium: 4 GB, large: 8 GB+)",
                    resourceProfile, first(existing, "RESOURCE_PROFILE", "GATEWAY_RESOURCE_PROFILE"), "small", SetupInput::resourceProfile));
            values.put("DATABASE_URL", database(existing, ask));
            String redis = redis(existing, ask);
            if (redis != null) values.put("REDIS_URL", redis);
            CloudModels.Bedrock bedrock = bedrock(existing, ask, values);
            CloudModels.Vertex vertex = vertex(existing, ask, values);
            cloudYaml = CloudModels.yaml(bedrock, vertex);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
        try {
            write(ws, values);
        } catch (java.io.UncheckedIOException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
        notes.forEach(System.out::println);
        nextSteps(ws, existing, values);
        if (keptInvalidMasterKey) {
            System.err.println("error: the master key in " + ws.dotEnv() + " does not start with sk-, and the gateway will not start with it. "
                    + "Run ./ai-gateway setup (interactive) and answer yes to replace it, or edit GATEWAY_MASTER_KEY in .env.");
            return 1;
        }
        return 0;
    }

    // --- secrets: kept unless the user explicitly says yes

    private void secrets(Workspace ws, Map<String, String> existing, Prompter ask, Map<String, String> values) {
        String masterVar = existing.containsKey("GATEWAY_MASTER_KEY") || !existing.containsKey("LITELLM_MASTER_KEY") ? "GATEWAY_MASTER_KEY" : "LITELLM_MASTER_KEY";
        String master = first(existing, "GATEWAY_MASTER_KEY", "LITELLM_MASTER_KEY");
        if (master == null) {
            String key = newMasterKey(ask);
            values.put("GATEWAY_MASTER_KEY", key);
            notes.add("Master key: " + (generated(key) ? "generated" : "set to the one typed")
                    + " (GATEWAY_MASTER_KEY in .env; admin key, keep it out of clients).");
        } else {
            boolean valid = master.startsWith("sk-");
            boolean replace = ask != null && ask.confirm(valid
                    ? "A master key already exists in .env. Replace it? (clients and scripts using it stop working)"
                    : "The master key in .env does not start with sk- (the gateway refuses it). Replace it?", false);
            if (replace) {
                values.put(masterVar, newMasterKey(ask));
                notes.add("Master key: replaced (" + masterVar + " in .env). Restart the gateway to use it.");
            } else {
                keptInvalidMasterKey = !valid;
                notes.add("Master key: kept the existing " + masterVar + (nonInteractive ? " (--non-interactive never replaces secrets)." : "."));
            }
        }
        String saltVar = existing.containsKey("GATEWAY_SALT_KEY") || !existing.containsKey("LITELLM_SALT_KEY") ? "GATEWAY_SALT_KEY" : "LITELLM_SALT_KEY";
        String salt = first(existing, "GATEWAY_SALT_KEY", "LITELLM_SALT_KEY");
        if (salt == null) {
            values.put("GATEWAY_SALT_KEY", newSecret(ask, "Salt key that encrypts provider credentials (hidden; Enter to generate)"));
            notes.add("Salt key: generated (GATEWAY_SALT_KEY in .env; back it up, stored credentials need it).");
        } else if (ask != null && ask.confirm("A salt key already exists in .env. Replace it? (provider credentials stored with the old one "
                + "can no longer be decrypted and the gateway refuses to start until they are removed)", false)) {
            values.put(saltVar, newSecret(ask, "New salt key (hidden; Enter to generate)"));
            notes.add("Salt key: replaced (" + saltVar + " in .env).");
        } else {
            notes.add("Salt key: kept the existing " + saltVar + (nonInteractive ? " (--non-interactive never replaces secrets)." : "."));
        }
        String fromEnvironment = System.getenv("GATEWAY_MASTER_KEY");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            notes.add("Note: GATEWAY_MASTER_KEY is also set in the environment, which takes precedence over .env.");
        }
    }

    /** Keys made here are sk- + 48 base62 characters; anything else was typed by the user. */
    private static boolean generated(String key) {
        return key.matches("sk-[0-9A-Za-z]{48}");
    }

    private static String newMasterKey(Prompter ask) {
        if (ask == null) return Secrets.newKey();
        for (int i = 0; i < MAX_TRIES; i++) {
            String typed = ask.askSecret("Master key (hidden; Enter to generate sk- + 48 random characters)");
            if (typed == null || typed.isBlank()) return Secrets.newKey();
            try {
                return SetupInput.masterKey(typed);
            } catch (IllegalArgumentException e) {
                ask.say(e.getMessage());
            }
        }
        throw new IllegalArgumentException("no valid master key given.");
    }

    private static String newSecret(Prompter ask, String question) {
        String typed = ask == null ? null : ask.askSecret(question);
        return typed == null || typed.isBlank() ? Secrets.randomBase62(48) : typed;
    }

    // --- the port: free, held by this workspace's own gateway, or replaced by a random free high port

    private int port(Workspace ws, Map<String, String> existing, Prompter ask, String h) {
        int p = Integer.parseInt(value(ask, "Port (1024-65535)", port, first(existing, "GATEWAY_PORT", "PORT"), "4000",
                v -> Integer.toString(SetupInput.port(v))));
        for (int i = 0; i < MAX_TRIES; i++) {
            if (available(ws, existing, h, p)) return p;
            int other = RandomPort.pick(candidate -> StartCommand.portFree(h, candidate));
            if (ask == null) {
                notes.add("Port " + p + " on " + h + " is already in use; using the free port " + other + " instead (GATEWAY_PORT in .env).");
                return other;
            }
            if (ask.confirm("Port " + p + " on " + h + " is already in use by another program. Use the free port " + other + " instead?", true)) {
                return other;
            }
            p = Integer.parseInt(value(ask, "Port (1024-65535)", null, null, Integer.toString(other), v -> Integer.toString(SetupInput.port(v))));
        }
        throw new IllegalArgumentException("no free port chosen; stop what holds the port or pick another one with --port.");
    }

    /** Free, or held by the gateway this workspace runs (re-running setup beside a running gateway is fine). */
    private static boolean available(Workspace ws, Map<String, String> existing, String h, int p) {
        if (StartCommand.portFree(h, p)) return true;
        String current = first(existing, "GATEWAY_PORT", "PORT");
        return ProcessFiles.running(ws).isPresent() && Integer.toString(p).equals(current == null ? "4000" : current.strip());
    }

    // --- database and Redis

    private String database(Map<String, String> existing, Prompter ask) {
        String url = value(ask, "Database URL (sqlite:PATH, or postgresql://user@host:5432/db for PostgreSQL)", databaseUrl,
                first(existing, "DATABASE_URL"), SetupInput.DEFAULT_DATABASE_URL, SetupInput::databaseUrl);
        if (ask != null && url.matches("^postgres(ql)?://[^:@/]+@.*")) { // a user but no password: ask for it without echo
            String password = ask.askSecret("Password of the PostgreSQL user (hidden; Enter for none)");
            if (password != null && !password.isBlank()) {
                url = url.replaceFirst("^(postgres(?:ql)?://[^:@/]+)@", "$1:" + java.util.regex.Matcher.quoteReplacement(
                        URLEncoder.encode(password, StandardCharsets.UTF_8).replace("+", "%20")) + "@");
            }
        }
        return url;
    }

    private String redis(Map<String, String> existing, Prompter ask) {
        String current = first(existing, "REDIS_URL");
        if (ask == null) return redisUrl != null ? SetupInput.redisUrl(redisUrl) : current;
        String answer = value(ask, "Redis URL, only for several instances (redis://host:6379; 'none' for none)", redisUrl,
                current, "none", v -> v.strip().equalsIgnoreCase("none") ? "none" : SetupInput.redisUrl(v));
        if (answer.equals("none")) return current != null ? "" : null; // "" clears a REDIS_URL set before
        return answer;
    }

    // --- cloud providers: settings in config.yaml, secrets only in .env

    private CloudModels.Bedrock bedrock(Map<String, String> existing, Prompter ask, Map<String, String> values) {
        if (ask == null ? bedrockRegion == null
                : !ask.confirm("Add an AWS Bedrock model (Claude through your AWS account)?", bedrockRegion != null)) return null;
        String region = value(ask, "AWS region", bedrockRegion, first(existing, "AWS_REGION_NAME", "AWS_REGION"), "us-east-1", CloudModels::region);
        boolean haveKeys = first(existing, "AWS_ACCESS_KEY_ID") != null && first(existing, "AWS_SECRET_ACCESS_KEY") != null;
        if (ask == null) return new CloudModels.Bedrock(region, haveKeys);
        String id = value(ask, "AWS access key id ('role' to use the machine's role/profile)", null, first(existing, "AWS_ACCESS_KEY_ID"), "role",
                v -> v.strip().equalsIgnoreCase("role") ? "role" : CloudModels.accessKeyId(v));
        if (id.equals("role")) return new CloudModels.Bedrock(region, false);
        values.put("AWS_ACCESS_KEY_ID", id);
        for (int i = 0; i < MAX_TRIES; i++) {
            String secret = ask.askSecret("AWS secret access key (hidden" + (haveKeys ? "; Enter to keep the one in .env)" : ")"));
            if (secret != null && !secret.isBlank()) {
                values.put("AWS_SECRET_ACCESS_KEY", secret);
                return new CloudModels.Bedrock(region, true);
            }
            if (haveKeys) return new CloudModels.Bedrock(region, true);
            ask.say("The secret access key is required with an access key id.");
        }
        throw new IllegalArgumentException("no AWS secret access key given.");
    }

    private CloudModels.Vertex vertex(Map<String, String> existing, Prompter ask, Map<String, String> values) {
        if (ask == null ? vertexProject == null
                : !ask.confirm("Add a Google Vertex AI model (Gemini through your Google Cloud project)?", vertexProject != null)) return null;
        String project = value(ask, "Google Cloud project id", vertexProject, first(existing, "VERTEXAI_PROJECT", "GOOGLE_CLOUD_PROJECT"), "",
                CloudModels::project);
        String location = value(ask, "Vertex AI location", vertexLocation, first(existing, "VERTEXAI_LOCATION"), CloudModels.DEFAULT_LOCATION,
                CloudModels::location);
        String file = value(ask, "Service account key file (JSON; 'adc' for Application Default Credentials)", vertexCredentialsFile,
                first(existing, "VERTEX_CREDENTIALS_FILE"), "adc", v -> v.strip().equalsIgnoreCase("adc") ? "adc" : CloudModels.keyFile(v));
        if (file.equals("adc")) return new CloudModels.Vertex(project, location, false);
        values.put("VERTEX_CREDENTIALS_FILE", file);
        return new CloudModels.Vertex(project, location, true);
    }

    // --- questions

    /**
     * A validated value: non-interactive, the flag, else the current .env value, else the default (an invalid
     * flag is an error); interactive, the question with that as its default, asked again while the answer is invalid.
     */
    private static String value(Prompter ask, String question, String flag, String current, String fallback, Function<String, String> validate) {
        String preset = flag != null ? flag : current != null ? current : fallback;
        if (ask == null) return validate.apply(preset);
        for (int i = 0; i < MAX_TRIES; i++) {
            String answer = ask.ask(question, preset);
            try {
                return validate.apply(answer == null ? "" : answer);
            } catch (IllegalArgumentException e) {
                ask.say(e.getMessage());
            }
        }
        throw new IllegalArgumentException("no valid answer for: " + question);
    }

    private static String first(Map<String, String> env, String... names) {
        for (String n : names) {
            String v = env.get(n);
            if (v != null && !v.isBlank()) return v.strip();
        }
        return null;
    }

    // --- files

    private void write(Workspace ws, Map<String, String> values) {
        try {
            Files.createDirectories(ws.home());
            if (!Files.exists(ws.dotEnv())) {
                createPrivate(ws.dotEnv());
                Files.writeString(ws.dotEnv(), "# AI Gateway settings, written by ./ai-gateway setup. Mode 600: it holds secrets.\n");
            }
            DotEnv.put(ws.dotEnv(), values);
            notes.add(0, "Wrote " + ws.dotEnv() + " (mode 600): " + describe(values) + ".");
            boolean configChosen = System.getenv("GATEWAY_CONFIG") != null || DotEnv.read(ws.dotEnv()).get("GATEWAY_CONFIG") != null;
            if (Files.exists(ws.configYaml()) || configChosen) {
                notes.add(1, "Kept the existing " + (configChosen ? "GATEWAY_CONFIG file" : ws.configYaml().toString()) + "."
                        + (cloudYaml.isEmpty() ? "" : " Add these entries under its model_list:\n" + cloudYaml));
            } else {
                String template;
                try (InputStream in = SetupCommand.class.getResourceAsStream("/config/default-config.yaml")) {
                    template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                String mock = "      model: mock/mock-gpt\n";
                Files.writeString(ws.configYaml(), template.replace(mock, mock + cloudYaml));
                setMode(ws.configYaml(), "rw-r--r--");
                notes.add(1, "Wrote " + ws.configYaml() + " (mode 644): the built-in `mock` model"
                        + (cloudYaml.isEmpty() ? "" : ", the cloud models chosen") + " and commented examples for each provider.");
            }
            Files.createDirectories(ws.dataDir());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Cannot write the setup files in " + ws.home() + ": " + e.getMessage(), e);
        }
    }

    /** KEY=value for settings, KEY (new) for secrets: setup never prints a secret. */
    private static String describe(Map<String, String> values) {
        List<String> parts = new ArrayList<>();
        values.forEach((k, v) -> {
            if (k.endsWith("_KEY") || k.equals("AWS_ACCESS_KEY_ID")) parts.add(k + " (new)");
            else if (k.equals("DATABASE_URL") || k.equals("REDIS_URL")) parts.add(k + "=" + SetupInput.redact(v));
            else parts.add(k + "=" + v);
        });
        return String.join(", ", parts);
    }

    private static void nextSteps(Workspace ws, Map<String, String> before, Map<String, String> values) {
        boolean running = ProcessFiles.running(ws).isPresent();
        boolean changed = values.entrySet().stream().anyMatch(e -> !e.getValue().equals(before.get(e.getKey())));
        System.out.println();
        System.out.println("Next:");
        if (running && changed) {
            System.out.println("  ./ai-gateway stop && ./ai-gateway start   # the gateway runs with the old settings: restart it to apply them");
        } else if (!running) {
            System.out.println("  ./ai-gateway start          # start in the background on http://" + values.get("GATEWAY_HOST") + ":" + values.get("GATEWAY_PORT"));
        }
        if (before.get("VIRTUAL_KEY") == null) {
            System.out.println("  ./ai-gateway virtual-key    # a key for clients such as Open WebUI, saved to .env as VIRTUAL_KEY");
        }
        System.out.println("  ./ai-gateway doctor         # check everything, with the fix for anything wrong");
    }

    private static void createPrivate(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) { // not a POSIX file system
            Files.createFile(file);
        }
    }

    private static void setMode(Path file, String mode) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
    }
}
