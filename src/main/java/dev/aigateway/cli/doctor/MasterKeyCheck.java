package dev.aigateway.cli.doctor;

import java.util.ArrayList;
import java.util.List;

/**
 * The master key is set, starts with {@code sk-} (LiteLLM's "master key invalid"), and is the one the running
 * gateway was started with (the LiteLLM stack's "Master Key was changed but containers weren't restarted").
 */
public final class MasterKeyCheck implements Check {
    static final String NAME = "master key";
    /** Setup makes sk- + 48 characters; docs/security.md asks for at least 32 random ones. */
    static final int MIN_RANDOM_CHARS = 32;

    @Override
    public List<Finding> run(DoctorContext ctx) {
        if (ctx.masterKeyInvalid()) {
            return List.of(Finding.fail(NAME, "does not start with sk- (" + ctx.masterKeySource() + "): the gateway refuses to start with it",
                    "./ai-gateway setup (answer yes to replace it), or set GATEWAY_MASTER_KEY=sk-... in .env"));
        }
        if (ctx.config() == null) return List.of(Finding.warn(NAME, "not checked: the configuration does not load", "see the configuration line"));
        String key = ctx.masterKey();
        if (key == null) {
            return List.of(Finding.fail(NAME, "none configured: the gateway accepts every request without a key", "./ai-gateway setup"));
        }
        List<Finding> out = new ArrayList<>();
        String shape = "starts with sk-, " + key.length() + " characters (" + ctx.masterKeySource() + ")";
        if (key.length() - 3 < MIN_RANDOM_CHARS) {
            out.add(Finding.warn(NAME, shape + ": short keys can be guessed",
                    "./ai-gateway setup (answer yes to replace it with sk- + 48 random characters)"));
        } else {
            out.add(Finding.pass(NAME, shape));
        }
        if (ctx.gatewayAnswers()) {
            DoctorHttp.Answer r = ctx.gatewayGet("/key/list?size=1", key);
            if (r.status() == 401) {
                out.add(Finding.fail(NAME, "the running gateway refuses it: it was started with another master key (changed without a restart?)",
                        "./ai-gateway stop && ./ai-gateway start"));
            } else if (r.status() == 200) {
                out.add(Finding.pass(NAME, "accepted by the running gateway"));
            }
        }
        return out;
    }
}
