package dev.aigateway.fuzz;

/**
 * Product bugs the fuzz finds that are reported and not fixed yet. A violation matching one is counted and printed
 * LOUDLY in the run's summary instead of failing the build; when the fix lands its entry is deleted, so the class of
 * bug stays impossible from then on. {@code -Dfuzz.strict=true} fails on them too (to check a fix).
 */
public enum KnownBug {
    /**
     * Issue 11, Low: "431/414/malformed-request errors have empty bodies (must be OpenAI-shaped JSON)". Requests the
     * HTTP decoder refuses before the gateway's code sees them (a control character in a header value or in the
     * request line, a header block over 8 KB, a request line over 4 KB; an HTTP version other than 1.0/1.1, where the
     * answer is a 501 where 505 would be right) get Vert.x's bare 400/414/431/501 with
     * {@code content-length: 0}. Recognised by the missing {@code x-request-id}: every answer of the gateway's own
     * carries one.
     */
    DECODER_ERRORS_HAVE_EMPTY_BODIES("issue 11 (Low): 400/414/431 from the HTTP decoder have empty bodies");

    public final String title;

    KnownBug(String title) {
        this.title = title;
    }

    public static boolean strict() {
        return Boolean.getBoolean("fuzz.strict");
    }

    /** The known bug one violation of a case is, or null. */
    static KnownBug of(RequestGen.Case c, RawHttp.Response r, String violation) {
        boolean decoder = r.header("x-request-id") == null && r.body().length == 0
                && (r.status() == 400 || r.status() == 414 || r.status() == 431 || r.status() == 501);
        if (decoder && (violation.contains("empty body") || violation.equals(r.status() + " from the gateway"))) return DECODER_ERRORS_HAVE_EMPTY_BODIES;
        return null;
    }
}
