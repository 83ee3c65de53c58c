package dev.aigateway.core;

/** A configuration problem that stops start-up; the message names the key and says how to fix it. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
