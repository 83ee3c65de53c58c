package dev.aigateway.governance;

import dev.aigateway.core.GatewayException;
import dev.aigateway.governance.keys.KeyRegistry;

/**
 * LiteLLM's first-run rule (docs/operations.md): clients may use the master key on LLM routes (chat, completions, embeddings,
 * messages) only until the first virtual key exists; after that they need a virtual key. Admin, health and
 * model-listing routes always accept the master key.
 *
 * <p>The rule is off unless {@code general_settings.allow_master_key_for_llm_routes: false}: LiteLLM accepts
 * the master key everywhere, and scripts and tests written for it call LLM routes with the master key after
 * creating keys, so enforcing it by default would break drop-in use (see docs/operations.md). When it is on, it
 * applies to the master key presented by a client ({@link #PRESENTED_MASTER_KEY}); an admin signed in to the UI
 * (whose principal also carries the master key's hash) keeps its playground. The check reads only the in-memory
 * key registry.
 */
public final class MasterKeyFallback {
    public static final String SETTING = "allow_master_key_for_llm_routes";
    public static final String MESSAGE = "Virtual Key is required: the master key works on LLM routes only until the first virtual key "
            + "exists. Create one with ./ai-gateway virtual-key (it is saved to .env as VIRTUAL_KEY) and use it in clients.";

    /** The alias {@link Authenticator} gives the master key sent as a bearer or x-api-key. */
    static final String PRESENTED_MASTER_KEY = "master-key";

    private final boolean allowed;
    private final KeyRegistry keys;

    /** @param allowed general_settings.allow_master_key_for_llm_routes, as the configuration read it */
    public MasterKeyFallback(boolean allowed, KeyRegistry keys) {
        this.allowed = allowed;
        this.keys = keys;
    }

    public boolean allowed() {
        return allowed;
    }

    /** Throws 401 when the master key is used on an LLM route while the rule applies. */
    public void check(Principal caller) {
        if (!allowed && caller.isMasterKey() && PRESENTED_MASTER_KEY.equals(caller.alias()) && keys != null && !keys.isEmpty()) {
            throw GatewayException.invalidKey(MESSAGE);
        }
    }
}
