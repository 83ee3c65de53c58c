package dev.aigateway.cli.doctor;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A kind of trouble recognisable in data/gateway.log, what it means and what fixes it: the LiteLLM stack's "Log
 * Interpretation" tables (LiteLLM, PostgreSQL, Nginx, "Common Log Patterns") translated to this gateway's own lines,
 * the access log ({@code key=... model=... deployment=... status=...}) and the start-up errors of {@code run}.
 * The first pattern that matches a line counts it; the order puts the specific before the general.
 */
record LogPattern(String id, Pattern regex, String meaning, String fix) {

    static final List<LogPattern> ALL = List.of(
            p("out-of-memory", "OutOfMemoryError",
                    "the gateway ran out of heap and exited",
                    "RESOURCE_PROFILE=medium in .env (a larger heap) if the machine has room (see the memory line), then ./ai-gateway start"),
            p("port-in-use", "(?i)already in use|bind: address",
                    "a start failed because the port was taken",
                    "see the port line: stop what holds the port, or change GATEWAY_PORT in .env"),
            p("master-key-invalid", "master key invalid",
                    "a start failed: the master key does not start with sk-",
                    "./ai-gateway setup"),
            p("salt-key", "GATEWAY_SALT_KEY (differs|is not set, but)",
                    "a start failed: GATEWAY_SALT_KEY does not match the one that encrypted the stored credentials",
                    "restore the old GATEWAY_SALT_KEY in .env, then ./ai-gateway start"),
            p("database", "(?i)Cannot open the database|Could not connect to database|password authentication failed|"
                            + "Could not (refresh|reload) .*from the database|database \".*\" does not exist|role \".*\" does not exist|postmaster",
                    "the database was unreachable or refused the credentials",
                    "see the database line (start PostgreSQL, or correct DATABASE_URL in .env)"),
            p("provider-key", "deployment=[^-\\s]\\S* status=401|returned 401|(?i)invalid api key|authentication failed",
                    "a provider rejected its API key",
                    "see the provider key lines; update the key in .env or config.yaml, then restart"),
            p("client-key", "key=- .*status=401",
                    "clients sent a missing, unknown, blocked or expired key (or the master key after virtual keys exist, when that is enforced)",
                    "give clients the VIRTUAL_KEY from .env (./ai-gateway virtual-key makes one)"),
            p("forbidden", "status=403",
                    "keys were refused a model or route they are not allowed",
                    "check the key's models and allowed_routes (GET /key/info, or the admin UI at /ui)"),
            p("rate-limit", "status=429|returned 429|(?i)rate limit exceeded|429 Too Many Requests",
                    "rate limits or budgets were hit (the gateway's, or a provider's)",
                    "raise the key's rpm/tpm limits or budget (/key/update or the admin UI; BUDGET_PROFILE=prod for new keys); "
                            + "clients should retry after Retry-After"),
            p("model-not-found", "model_not_found|(?i)model not found|/(chat/completions|completions|embeddings|messages) key=\\S+ model=- deployment=- status=404",
                    "clients asked for models this gateway does not serve",
                    "compare the client's model name with GET /v1/models; add the model to config.yaml or the admin UI"),
            p("timeout", "status=408|(?i)model timeout",
                    "provider calls timed out",
                    "raise litellm_params.timeout of the model in config.yaml, or check the provider's status"),
            p("upstream", "status=50[234]|Could not connect to|(?i)upstream connect failed|connection refused",
                    "providers failed or could not be reached (502/503/504)",
                    "see the provider key lines; add a second deployment or fallbacks in router_settings"),
            p("internal", "Unexpected error in request|status=500",
                    "the gateway hit an internal error",
                    "./ai-gateway logs --tail 2000 | grep -A20 'Unexpected error' and report it with the request id"),
            p("health-check", "failed its health check|(?i)health check failed",
                    "a deployment failed its background health check",
                    "see the provider key lines"),
            p("no-auth", "No master key is configured",
                    "the gateway ran without authentication",
                    "./ai-gateway setup"),
            p("ignored-config", "was ignored",
                    "config.yaml has keys this gateway ignores",
                    "see the configuration line"));

    private static LogPattern p(String id, String regex, String meaning, String fix) {
        return new LogPattern(id, Pattern.compile(regex), meaning, fix);
    }

    boolean matches(String line) {
        return regex.matcher(line).find();
    }
}
