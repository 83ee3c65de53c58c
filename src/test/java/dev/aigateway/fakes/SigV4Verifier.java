package dev.aigateway.fakes;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * AWS Signature Version 4 written from AWS's specification, independently of the SDK the gateway signs with: the
 * fakes recompute every request's signature with it, as AWS does, and it is checked against AWS's published examples.
 */
public final class SigV4Verifier {
    private SigV4Verifier() {}

    /** What a request's Authorization header says. */
    public record Authorization(String accessKeyId, String date, String region, String service, List<String> signedHeaders,
                                String signature) {
        /** Null when the header is not a SigV4 one. */
        public static Authorization parse(String header) {
            if (header == null || !header.startsWith("AWS4-HMAC-SHA256 ")) return null;
            Map<String, String> parts = new TreeMap<>();
            for (String p : header.substring("AWS4-HMAC-SHA256 ".length()).split(",")) {
                String[] kv = p.strip().split("=", 2);
                if (kv.length == 2) parts.put(kv[0], kv[1]);
            }
            String[] scope = parts.getOrDefault("Credential", "").split("/");
            if (scope.length != 5 || !parts.containsKey("SignedHeaders") || !parts.containsKey("Signature")) return null;
            return new Authorization(scope[0], scope[1], scope[2], scope[3], List.of(parts.get("SignedHeaders").split(";")),
                    parts.get("Signature"));
        }
    }

    /**
     * The signature of a request.
     *
     * @param rawPath      the path as sent (percent-encoded)
     * @param doubleEncode every service but S3 encodes the sent path once more when signing
     * @param headers      lower-case header name to value, for the signed headers
     */
    public static String signature(String method, String rawPath, String rawQuery, Map<String, String> headers,
                                   List<String> signedHeaders, byte[] body, String amzDate, String region, String service,
                                   String secret, boolean doubleEncode) {
        StringBuilder canonicalHeaders = new StringBuilder();
        for (String h : signedHeaders) {
            String v = headers.get(h);
            canonicalHeaders.append(h).append(':').append(v == null ? "" : v.strip().replaceAll("\\s+", " ")).append('\n');
        }
        String canonicalRequest = method + "\n" + canonicalPath(rawPath, doubleEncode) + "\n" + canonicalQuery(rawQuery) + "\n"
                + canonicalHeaders + "\n" + String.join(";", signedHeaders) + "\n" + hex(sha256(body));
        String date = amzDate.substring(0, 8);
        String scope = date + "/" + region + "/" + service + "/aws4_request";
        String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        return hex(hmac(key, stringToSign));
    }

    private static String canonicalPath(String rawPath, boolean doubleEncode) {
        if (rawPath == null || rawPath.isEmpty()) return "/";
        if (!doubleEncode) return rawPath;
        List<String> segments = new java.util.ArrayList<>();
        for (String segment : rawPath.split("/", -1)) segments.add(encode(segment));
        return String.join("/", segments);
    }

    private static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) return "";
        TreeMap<String, String> sorted = new TreeMap<>();
        for (String p : rawQuery.split("&")) {
            String[] kv = p.split("=", 2);
            sorted.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        StringBuilder out = new StringBuilder();
        sorted.forEach((k, v) -> out.append(out.isEmpty() ? "" : "&").append(k).append('=').append(v));
        return out.toString();
    }

    /** RFC 3986: unreserved characters stay, every other byte becomes %XX (upper-case hex). */
    static String encode(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
