package dev.aigateway.cli.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.governance.MasterKeyFallback;

import java.util.List;

/**
 * {@code VIRTUAL_KEY} is in .env and the running gateway accepts it ({@code GET /v1/models} answers 200). Without
 * one, clients such as Open WebUI would use the master key, which LiteLLM's first-run rule allows only until the
 * first virtual key exists (and only when {@code allow_master_key_for_llm_routes} is false does the gateway enforce it).
 */
public final class VirtualKeyCheck implements Check {
    static final String NAME = "virtual key";
    static final String FIX = "./ai-gateway virtual-key";

    @Override
    public List<Finding> run(DoctorContext ctx) {
        String key = ctx.virtualKey();
        if (key == null) {
            return List.of(Finding.warn(NAME, "VIRTUAL_KEY is not in .env: clients would have to use the master key, " + fallbackRule(ctx), FIX));
        }
        if (!ctx.gatewayAnswers()) {
            return List.of(Finding.pass(NAME, "VIRTUAL_KEY present in .env (not verified: the gateway is not running)"));
        }
        DoctorHttp.Answer r = ctx.gatewayGet("/v1/models", key);
        if (r.status() == 200) {
            JsonNode data = r.json() == null ? null : r.json().path("data");
            return List.of(Finding.pass(NAME, "VIRTUAL_KEY accepted by the running gateway (" + (data == null ? 0 : data.size()) + " models visible to it)"));
        }
        String message = ctx.redact(r.answered() ? "HTTP " + r.status() + ": " + r.errorMessage() : r.error(), key);
        if (r.status() == 401 && message.contains("blocked")) {
            return List.of(Finding.fail(NAME, "VIRTUAL_KEY is blocked (" + message + ")",
                    "unblock it in the admin UI (" + ctx.baseUrl() + "/ui) or with POST /key/unblock {\"key\": \"<VIRTUAL_KEY>\"} "
                            + "and the master key; or " + FIX + " for a new one"));
        }
        if (r.status() == 401) {
            return List.of(Finding.fail(NAME, "the running gateway refuses VIRTUAL_KEY (" + message + ")",
                    FIX + " (makes a new one and saves it to .env; give it to your clients)"));
        }
        return List.of(Finding.warn(NAME, "could not verify VIRTUAL_KEY: GET /v1/models answered " + message, "./ai-gateway logs --tail 50"));
    }

    private static String fallbackRule(DoctorContext ctx) {
        boolean allowed = ctx.config() == null || ctx.config().general().allowMasterKeyForLlmRoutes();
        return allowed
                ? "which works (general_settings." + MasterKeyFallback.SETTING + " is true) but puts the admin key in clients"
                : "which the gateway refuses on LLM routes once any virtual key exists";
    }
}
