package dev.aigateway.logging;

/**
 * One request's access-log entry. Logged as the single argument of the {@code access} logger, so the text
 * layout prints {@link #toString()} and the JSON encoder writes the fields as structured properties.
 * Holds names safe to log only: the key's alias or display form ({@code sk-...abcd}), never a key or a body.
 */
public record AccessLine(String requestId, String method, String path, String keyAlias, String model, String deployment,
                         int status, double latencyMs, double overheadMs) {

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(160);
        b.append(requestId).append(' ').append(method).append(' ').append(path)
                .append(" key=").append(orDash(keyAlias))
                .append(" model=").append(orDash(model))
                .append(" deployment=").append(orDash(deployment))
                .append(" status=").append(status)
                .append(" latency_ms=");
        fixed(b, latencyMs, 2);
        b.append(" overhead_ms=");
        fixed(b, overheadMs, 3);
        return b.toString();
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }

    /** Fixed-point formatting without String.format's cost (this runs once per request). */
    static void fixed(StringBuilder b, double v, int decimals) {
        if (!(v >= 0) || v > 1e12) {
            b.append(v);
            return;
        }
        long scale = decimals == 2 ? 100 : decimals == 3 ? 1000 : (long) Math.pow(10, decimals);
        long n = Math.round(v * scale);
        b.append(n / scale).append('.');
        String frac = Long.toString(n % scale);
        for (int i = frac.length(); i < decimals; i++) b.append('0');
        b.append(frac);
    }
}
