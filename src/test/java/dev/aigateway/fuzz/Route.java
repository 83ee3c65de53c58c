package dev.aigateway.fuzz;

/**
 * Every route the gateway serves (docs/api.md, docs/keys.md, docs/security.md, the UI's), plus paths it does not.
 * {@code path} is the route without {@code /v1}; the generator adds {@code /v1} and a trailing slash at random, as the
 * gateway accepts both.
 */
public enum Route {
    CHAT("POST", "/chat/completions", Family.LLM),
    COMPLETIONS("POST", "/completions", Family.LLM),
    EMBEDDINGS("POST", "/embeddings", Family.LLM),
    MESSAGES("POST", "/messages", Family.ANTHROPIC),
    RESPONSES("POST", "/responses", Family.LLM),
    RESPONSES_COMPACT("POST", "/responses/compact", Family.LLM),
    COUNT_TOKENS("POST", "/messages/count_tokens", Family.ANTHROPIC),
    MODELS("GET", "/models", Family.LLM),
    MODEL_BY_ID("GET", "/models/{id}", Family.LLM),
    STORED_RESPONSE("GET", "/responses/{id}", Family.LLM),
    STORED_RESPONSE_DELETE("DELETE", "/responses/{id}", Family.LLM),
    STORED_RESPONSE_INPUT_ITEMS("GET", "/responses/{id}/input_items", Family.LLM),
    LIVENESS("GET", "/health/liveliness", Family.PUBLIC),
    LIVENESS_ALT("GET", "/health/liveness", Family.PUBLIC),
    READINESS("GET", "/health/readiness", Family.PUBLIC),
    HEALTH("GET", "/health", Family.ADMIN),
    METRICS("GET", "/metrics", Family.TEXT),
    KEY_GENERATE("POST", "/key/generate", Family.ADMIN),
    KEY_UPDATE("POST", "/key/update", Family.ADMIN),
    KEY_DELETE("POST", "/key/delete", Family.ADMIN),
    KEY_BLOCK("POST", "/key/block", Family.ADMIN),
    KEY_UNBLOCK("POST", "/key/unblock", Family.ADMIN),
    KEY_REGENERATE("POST", "/key/regenerate", Family.ADMIN),
    KEY_PATH_REGENERATE("POST", "/key/{key}/regenerate", Family.ADMIN),
    KEY_INFO("GET", "/key/info", Family.ADMIN),
    KEY_LIST("GET", "/key/list", Family.ADMIN),
    MODEL_NEW("POST", "/model/new", Family.ADMIN),
    MODEL_UPDATE("POST", "/model/update", Family.ADMIN),
    MODEL_DELETE("POST", "/model/delete", Family.ADMIN),
    MODEL_INFO("GET", "/model/info", Family.ADMIN),
    MODEL_TEST("POST", "/model/test", Family.ADMIN),
    SPEND_LOGS("GET", "/spend/logs", Family.ADMIN),
    SPEND_DAILY("GET", "/spend/daily", Family.ADMIN),
    UI_PAGE("GET", "/ui", Family.UI_PAGE),
    UI_ASSET("GET", "/ui/{asset}", Family.UI_PAGE),
    UI_LOGIN("POST", "/ui/login", Family.ADMIN),
    UI_LOGOUT("POST", "/ui/logout", Family.ADMIN),
    UI_SESSION("GET", "/ui/session", Family.ADMIN),
    UI_DEPLOYMENTS("GET", "/ui/api/deployments", Family.ADMIN),
    MODEL_GROUP_INFO("GET", "/model_group/info", Family.ADMIN),
    ROUTES("GET", "/routes", Family.ADMIN),
    GLOBAL_SPEND_REPORT("GET", "/global/spend/report", Family.ADMIN),
    GLOBAL_SPEND_END_USERS("POST", "/global/spend/end_users", Family.ADMIN),
    SPEND_CALCULATE("POST", "/spend/calculate", Family.ADMIN),
    UNKNOWN("GET", "/{random}", Family.ADMIN);

    /**
     * What the answers look like: JSON errors everywhere; Anthropic's error shape on the Anthropic routes (and on
     * /models asked with anthropic-version); text or HTML pages.
     */
    public enum Family { LLM, ANTHROPIC, PUBLIC, ADMIN, TEXT, UI_PAGE }

    public final String method;
    public final String path;
    public final Family family;

    Route(String method, String path, Family family) {
        this.method = method;
        this.path = path;
        this.family = family;
    }

    /** Routes whose successful answer may show a virtual key: the new one, once. */
    public boolean showsNewKey() {
        return this == KEY_GENERATE || this == KEY_REGENERATE || this == KEY_PATH_REGENERATE;
    }

    /** Routes that call an upstream (a fake, a mock with an error status, a test target), so 502/503/504 may come from there. */
    public boolean reachesUpstream() {
        return family == Family.LLM || family == Family.ANTHROPIC || this == HEALTH || this == MODEL_TEST;
    }
}
