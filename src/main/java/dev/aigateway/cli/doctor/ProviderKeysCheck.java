package dev.aigateway.cli.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.UrlCredentials;

import java.util.ArrayList;
import java.util.List;

/**
 * Every deployment of config.yaml can reach its provider with its key, by the provider's cheapest call
 * ({@link ProviderProbe}); a refusal shows the provider's own status and message, and names where the key lives
 * ({@code os.environ/NAME} in .env, or config.yaml). Identical probes (same URL and key) are made once.
 * Runtime models added through the admin API keep their keys encrypted in the database and are not probed here.
 * Bedrock and Vertex AI sign in with cloud credentials: {@link CloudCredentials} says where they would come from, and
 * {@link CloudProbe} tries Bedrock's where AWS answers.
 */
public final class ProviderKeysCheck implements Check {
    static final String NAME = "provider key";

    @Override
    public List<Finding> run(DoctorContext ctx) {
        if (ctx.config() == null) return List.of(Finding.warn(NAME, "not checked: the configuration does not load", "see the configuration line"));
        List<Finding> out = new ArrayList<>();
        for (Deployment d : ctx.config().deployments()) {
            out.add(check(ctx, d));
        }
        return out;
    }

    private static Finding check(DoctorContext ctx, Deployment d) {
        String label = d.modelName() + " (" + d.provider() + "/" + d.model() + ")";
        if (CloudCredentials.handles(d)) return CloudProbe.confirm(ctx, d, label, CloudCredentials.check(ctx, d, label));
        ProviderProbe probe = ProviderProbe.of(d);
        if (!probe.checkable()) {
            if ("mock".equals(d.provider())) return Finding.pass(NAME, label + ": built in, no key needed");
            if (!probe.keyed()) {
                return Finding.warn(NAME, label + ": signs in with cloud credentials, which the doctor does not check yet",
                        "send one request to " + d.modelName() + " (a refused credential is named in the error)");
            }
            return Finding.warn(NAME, label + ": no api_base, so the provider cannot be asked", "set litellm_params.api_base of " + d.modelName() + " in config.yaml");
        }
        String fixKey = "update the key: " + keyLocation(ctx, d) + ", then ./ai-gateway stop && ./ai-gateway start";
        if (probe.keyed() && d.apiKey() == null && isPublicService(probe.url())) {
            return Finding.fail(NAME, label + ": no api_key configured", "set api_key: os.environ/" + d.provider().toUpperCase(java.util.Locale.ROOT)
                    + "_API_KEY for " + d.modelName() + " in config.yaml and " + d.provider().toUpperCase(java.util.Locale.ROOT) + "_API_KEY=... in .env");
        }
        DoctorHttp.Answer r = ctx.http().get(probe.url(), probe.headers());
        String at = " at " + hostOf(probe.url());
        // user info and query values of api_base are credentials too: never printed
        String shownUrl = UrlCredentials.masked(probe.url());
        String[] secrets = secretsOf(d, probe.url());
        if (!r.answered()) {
            return Finding.fail(NAME, label + ": cannot reach the provider" + at + " (" + ctx.redact(r.error(), secrets) + ")",
                    "check litellm_params.api_base of " + d.modelName() + " in config.yaml and the network (curl -sS " + shownUrl + ")");
        }
        String said = ctx.redact("HTTP " + r.status() + ": " + r.errorMessage(), secrets);
        if (r.status() >= 200 && r.status() < 300) {
            return Finding.pass(NAME, label + ": " + (probe.keyed() ? "key accepted" : "reachable") + at + models(r));
        }
        if (r.status() == 401 || r.status() == 403) {
            return Finding.fail(NAME, label + ": the provider rejected the key" + at + " (" + said + ")", fixKey);
        }
        if (r.status() == 400 && said.toLowerCase(java.util.Locale.ROOT).contains("api key")) { // Gemini answers 400 API_KEY_INVALID
            return Finding.fail(NAME, label + ": the provider rejected the key" + at + " (" + said + ")", fixKey);
        }
        if (r.status() == 404) {
            return Finding.fail(NAME, label + ": " + shownUrl + " answered 404 (" + said + ")",
                    "check litellm_params.api_base of " + d.modelName() + " in config.yaml (OpenAI-compatible bases end in /v1)");
        }
        if (r.status() == 429) {
            return Finding.warn(NAME, label + ": the provider answered 429 (" + said + "): rate limit or quota", "check the plan and quota of this key with the provider");
        }
        return Finding.warn(NAME, label + ": the provider answered " + said, "check the provider's status page and try again");
    }

    /** Where the key of a deployment is written, for the fix: the .env variable os.environ/ names, or config.yaml. */
    static String keyLocation(DoctorContext ctx, Deployment d) {
        for (JsonNode m : ctx.rawConfig().path("model_list")) {
            if (!d.modelName().equals(m.path("model_name").asText())) continue;
            JsonNode params = m.path("litellm_params");
            if (!params.path("model").asText().endsWith(d.model())) continue;
            String raw = params.path("api_key").asText(null);
            if (raw != null && raw.startsWith("os.environ/")) return raw.substring("os.environ/".length()) + " in .env";
            if (raw != null) return "litellm_params.api_key of " + d.modelName() + " in config.yaml";
        }
        return d.fromConfig() ? "litellm_params.api_key of " + d.modelName() + " in config.yaml" : "the model's credentials (/model/update or the admin UI)";
    }

    private static String[] secretsOf(Deployment d, String url) {
        java.util.List<String> s = UrlCredentials.secrets(url);
        s.add(d.apiKey());
        return s.toArray(String[]::new);
    }

    private static boolean isPublicService(String url) {
        return url.startsWith("https://");
    }

    private static String hostOf(String url) {
        try {
            java.net.URI u = java.net.URI.create(url);
            return u.getScheme() + "://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
        } catch (IllegalArgumentException e) {
            return url;
        }
    }

    private static String models(DoctorHttp.Answer r) {
        JsonNode j = r.json();
        if (j == null) return "";
        JsonNode list = j.has("data") ? j.get("data") : j.has("models") ? j.get("models") : null;
        return list != null && list.isArray() ? " (" + list.size() + " models listed)" : "";
    }
}
