package dev.aigateway.provider.anthropic;

import dev.aigateway.core.GatewayException;

/** A base64 {@code data:} URL split into media type and payload, as both APIs carry inline images and files. */
record DataUrl(String mediaType, String data) {
    private static final String PREFIX = "data:";
    private static final String BASE64 = ";base64";

    static boolean isDataUrl(String url) {
        return url != null && url.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    /** @param param the request field named in the 400 when the URL is not a base64 data URL */
    static DataUrl parse(String url, String param) {
        int comma = url.indexOf(',');
        String header = comma < 0 ? "" : url.substring(PREFIX.length(), comma);
        if (comma < 0 || !header.toLowerCase(java.util.Locale.ROOT).endsWith(BASE64)) {
            throw GatewayException.badRequest("Only base64 data URLs (data:<media type>;base64,<data>) are supported in " + param + ".", param);
        }
        String mediaType = header.substring(0, header.length() - BASE64.length());
        if (mediaType.isEmpty()) {
            throw GatewayException.badRequest("The data URL in " + param + " has no media type.", param);
        }
        return new DataUrl(mediaType, url.substring(comma + 1));
    }

    String toUrl() {
        return PREFIX + mediaType + BASE64 + "," + data;
    }
}
