package dev.aigateway.db;

/** The database cannot be used; the message says which database and why, without credentials. */
public class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message, null, false, false);
    }

    /** A write that broke a uniqueness rule (e.g. a duplicate key_alias): the caller's mistake, a 400. */
    public static final class Conflict extends StoreException {
        public Conflict(String message) {
            super(message);
        }
    }
}
