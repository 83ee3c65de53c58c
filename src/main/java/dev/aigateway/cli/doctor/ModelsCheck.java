package dev.aigateway.cli.doctor;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * At least one model is configured, and the running gateway lists it on {@code /v1/models} (which also counts models
 * added at runtime). This is the LiteLLM stack's "Models don't appear in Open WebUI" and "404 Model not found".
 */
public final class ModelsCheck implements Check {
    static final String NAME = "models";
    static final String FIX = "add a model to model_list in config.yaml (it has commented examples) and restart "
            + "(./ai-gateway stop && ./ai-gateway start), or add one at runtime in the admin UI (/ui) or with POST /model/new";

    @Override
    public List<Finding> run(DoctorContext ctx) {
        if (ctx.config() == null) return List.of(Finding.warn(NAME, "not checked: the configuration does not load", "see the configuration line"));
        int configured = ctx.config().deployments().size();
        if (ctx.gatewayAnswers()) {
            String key = ctx.masterKey() != null ? ctx.masterKey() : ctx.virtualKey();
            DoctorHttp.Answer r = ctx.gatewayGet("/v1/models", key);
            JsonNode data = r.status() == 200 && r.json() != null ? r.json().path("data") : null;
            if (data != null && data.isArray()) {
                if (data.isEmpty()) return List.of(Finding.fail(NAME, "the running gateway lists no models on /v1/models", FIX));
                return List.of(Finding.pass(NAME, data.size() + " on /v1/models of the running gateway (" + names(data) + "); "
                        + configured + " deployment(s) in config.yaml"));
            }
        }
        if (configured == 0) return List.of(Finding.fail(NAME, "none configured: model_list in config.yaml is empty", FIX));
        return List.of(Finding.pass(NAME, configured + " deployment(s) in config.yaml" + (ctx.gatewayAnswers() ? "" : " (the gateway is not running: /v1/models not checked)")));
    }

    private static String names(JsonNode data) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < data.size() && i < 5; i++) sb.append(i == 0 ? "" : ", ").append(data.get(i).path("id").asText());
        if (data.size() > 5) sb.append(", ...");
        return sb.toString();
    }
}
