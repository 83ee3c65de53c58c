package dev.aigateway.fuzz;

/**
 * Product bugs the fuzz finds that are reported and not fixed yet. A violation matching one is counted and printed
 * LOUDLY in the run's summary instead of failing the build; when the fix lands its entry is deleted, so the class of
 * bug stays impossible from then on. {@code -Dfuzz.strict=true} fails on them too (to check a fix).
 */
public enum KnownBug {
    ; // none open: a bug found and reported goes here, with where it is and the input that shows it, until it is fixed

    public final String title;

    KnownBug(String title) {
        this.title = title;
    }

    public static boolean strict() {
        return Boolean.getBoolean("fuzz.strict");
    }

    /** The known bug one violation of a case is, or null. */
    static KnownBug of(RequestGen.Case c, RawExchange.Response r, String violation) {
        return null;
    }
}
