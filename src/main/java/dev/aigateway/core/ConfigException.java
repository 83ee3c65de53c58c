package dev.aigateway.core;

/**
 * A configuration problem that stops start-up (or refuses a runtime model); the message names the key and says how to
 * fix it. Callers that act on the problem read {@link #code()} and {@link #field()}, never the message.
 */
public final class ConfigException extends RuntimeException {
    /** What kind of problem it is, for callers that treat one kind differently. */
    public enum Code {
        /** A value is missing or invalid. */
        INVALID,
        /** The master key does not start with {@code sk-} (the doctor then checks everything else with a stand-in). */
        MASTER_KEY_INVALID
    }

    private final Code code;
    private final String field;

    public ConfigException(String message) {
        this(Code.INVALID, null, message);
    }

    /** @param field the path of the invalid value, as the message names it (e.g. {@code litellm_params.timeout}) */
    public ConfigException(String field, String message) {
        this(Code.INVALID, field, message);
    }

    public ConfigException(Code code, String field, String message) {
        super(message, null, false, false);
        this.code = code;
        this.field = field == null || field.isEmpty() ? null : field;
    }

    public Code code() {
        return code;
    }

    /** The dotted path of the invalid value (e.g. {@code model_list[2].litellm_params.model}), or null when none is named. */
    public String field() {
        return field;
    }
}
