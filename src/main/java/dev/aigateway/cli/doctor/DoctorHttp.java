package dev.aigateway.cli.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The doctor's HTTP GETs (to the running gateway and to providers), blocking with short timeouts: the doctor is
 * its own process and nothing waits on it. Answers are remembered per URL and headers, so the clock check reuses
 * what the provider-key check fetched instead of calling the providers again.
 */
public final class DoctorHttp {
    private final HttpClient client;
    private final Duration timeout;
    private final Map<String, Answer> cache = new ConcurrentHashMap<>();

    public DoctorHttp(Duration connectTimeout, Duration timeout) {
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.timeout = timeout;
    }

    public static DoctorHttp standard() {
        return new DoctorHttp(Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    /**
     * What a GET answered: status and body, or status 0 with {@code error} saying why nothing answered.
     * {@code receivedAt} is when the answer arrived, for comparing the server's Date header with this clock.
     */
    public record Answer(int status, String body, HttpHeaders headers, Instant sentAt, Instant receivedAt, String error) {
        public boolean answered() {
            return status > 0;
        }

        public String header(String name) {
            return headers == null ? null : headers.firstValue(name).orElse(null);
        }

        public JsonNode json() {
            return body == null ? null : Json.tryParse(body.getBytes(StandardCharsets.UTF_8));
        }

        /** The error text of an answer in any provider's shape (OpenAI, Anthropic, Gemini, Azure, Ollama), else the body's start. */
        public String errorMessage() {
            JsonNode j = json();
            if (j != null) {
                JsonNode e = j.path("error");
                if (e.isTextual()) return e.asText();
                if (e.path("message").isTextual()) return e.path("message").asText();
                if (j.path("message").isTextual()) return j.path("message").asText();
                if (j.path("detail").isTextual()) return j.path("detail").asText();
            }
            if (body == null || body.isBlank()) return "(empty body)";
            String oneLine = body.replaceAll("\\s+", " ").strip();
            return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
        }
    }

    public Answer get(String url, Map<String, String> headers) {
        String cacheKey = url + " " + new java.util.TreeMap<>(headers);
        return cache.computeIfAbsent(cacheKey, k -> fetch(url, headers));
    }

    public Answer get(String url) {
        return get(url, Map.of());
    }

    private Answer fetch(String url, Map<String, String> headers) {
        Instant sent = Instant.now();
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET();
            headers.forEach(b::header);
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body(), r.headers(), sent, Instant.now(), null);
        } catch (IOException | IllegalArgumentException e) {
            return new Answer(0, null, null, sent, Instant.now(), describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, null, null, sent, Instant.now(), "interrupted");
        }
    }

    /** The first cause that says what happened (the HTTP client wraps a refused connection several times). */
    private static String describe(Exception e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof java.net.http.HttpTimeoutException) return "timed out";
            if (c instanceof java.net.ConnectException) return "connection refused";
            if (c instanceof java.nio.channels.UnresolvedAddressException || c instanceof java.net.UnknownHostException) return "unknown host";
            if (c instanceof javax.net.ssl.SSLException) return "TLS error: " + c.getMessage();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

}
