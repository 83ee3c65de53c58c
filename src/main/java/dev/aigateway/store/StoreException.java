package dev.aigateway.store;

/** The database cannot be used; the message says which database and why, without credentials. */
public final class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message, null, false, false);
    }
}
