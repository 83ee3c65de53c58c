package dev.aigateway.fuzz;

import java.util.regex.Pattern;

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
    DECODER_ERRORS_HAVE_EMPTY_BODIES("issue 11 (Low): 400/414/431 from the HTTP decoder have empty bodies"),
    /**
     * Reported before this suite: json/Json.java:41 puts Jackson's exception text in the 400's message, e.g.
     * "Trailing token (of type START_OBJECT) found after value (bound as `com.fasterxml.jackson.databind.JsonNode`)".
     */
    JACKSON_CLASS_NAMES_IN_400("Jackson class names in 400 messages (json/Json.java:41), e.g. trailing tokens"),
    /**
     * Found by this suite: a malformed percent-escape in a query string ({@code GET /key/list?size=0%zz}) makes Vert.x's
     * {@code HttpServerRequest.getParam/params()} throw IllegalArgumentException("invalid hex byte"), which the admin
     * handlers turn into a 500 and an ERROR with a stack trace: server/admin/KeyAdminHandler.java:137 (/key/info),
     * :162-167 and :254 (/key/list), ModelAdminHandler.java:88 (/model/info), SpendAdminHandler.java:66 (/spend/logs)
     * and :100 (/spend/daily).
     */
    BAD_PERCENT_ESCAPE_IN_QUERY_IS_500("bad percent-escape in an admin route's query string gives 500 (KeyAdminHandler:137,162,254; "
            + "ModelAdminHandler:88; SpendAdminHandler:66,100)");

    private static final Pattern BAD_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})");

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
        if (violation.contains("internal detail (com.fasterxml)") && r.bodyText().contains("Trailing token")) return JACKSON_CLASS_NAMES_IN_400;
        String query = c == null ? "" : c.request().target().contains("?") ? c.request().target().substring(c.request().target().indexOf('?')) : "";
        if (violation.equals("500 from the gateway") && BAD_ESCAPE.matcher(query).find()) return BAD_PERCENT_ESCAPE_IN_QUERY_IS_500;
        if (violation.startsWith("ERROR logged") && (violation.contains("invalid hex byte") || violation.contains("unterminated escape"))) return BAD_PERCENT_ESCAPE_IN_QUERY_IS_500;
        return null;
    }
}
