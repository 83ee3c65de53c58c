package dev.aigateway.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Small blocking HTTP calls the CLI makes to a running gateway (it is not on any request path). */
final class Http {
    /** Built on first use: an HttpClient loads TLS and the CA certificates (~0.4 s on a cold JVM), which `run` never needs. */
    private static final class Client {
        static final HttpClient INSTANCE = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    private Http() {}

    /** GET returning status and body, or null when nothing answers. */
    static HttpResponse<String> get(String url, Duration timeout) {
        try {
            return Client.INSTANCE.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static String baseUrl(String host, int port) {
        String h = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        return "http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port;
    }
}
