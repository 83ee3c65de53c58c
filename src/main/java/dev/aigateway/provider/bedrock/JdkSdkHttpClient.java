package dev.aigateway.provider.bedrock;

import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.SdkHttpService;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The AWS SDK's HTTP client SPI over the JDK's client, for the few calls the SDK's credential providers make
 * themselves (STS AssumeRole and AssumeRoleWithWebIdentity). The SDK's own clients (Netty, Apache) stay out of the jar;
 * these calls are rare and always run on a worker thread ({@link CredentialsCache}), so a blocking client is right.
 * Registered as the SDK's default through {@code META-INF/services/software.amazon.awssdk.http.SdkHttpService}.
 */
public final class JdkSdkHttpClient implements SdkHttpClient {
    /** Headers the JDK client sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** The ServiceLoader entry point the SDK looks for when no client is given. */
    public static final class Service implements SdkHttpService {
        @Override
        public SdkHttpClient.Builder<?> createHttpClientBuilder() {
            return new JdkBuilder();
        }
    }

    private static final class JdkBuilder implements SdkHttpClient.Builder<JdkBuilder> {
        @Override
        public SdkHttpClient buildWithDefaults(software.amazon.awssdk.utils.AttributeMap defaults) {
            return new JdkSdkHttpClient();
        }
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        var http = request.httpRequest();
        HttpRequest.BodyPublisher body = request.contentStreamProvider()
                // Whole bytes, so the JDK sends the Content-Length the SDK signed (a stream would go out chunked).
                .map(p -> HttpRequest.BodyPublishers.ofByteArray(readAll(p)))
                .orElse(HttpRequest.BodyPublishers.noBody());
        HttpRequest.Builder b = HttpRequest.newBuilder(http.getUri()).timeout(TIMEOUT).method(http.method().name(), body);
        http.forEachHeader((name, values) -> {
            if (RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) return;
            values.forEach(v -> b.header(name, v));
        });
        HttpRequest built = b.build();
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                try {
                    HttpResponse<InputStream> r = client.send(built, HttpResponse.BodyHandlers.ofInputStream());
                    SdkHttpResponse.Builder head = SdkHttpResponse.builder().statusCode(r.statusCode());
                    for (Map.Entry<String, List<String>> h : r.headers().map().entrySet()) head.putHeader(h.getKey(), h.getValue());
                    return HttpExecuteResponse.builder().response(head.build())
                            .responseBody(AbortableInputStream.create(r.body())).build();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
            }

            @Override
            public void abort() {}
        };
    }

    private static byte[] readAll(software.amazon.awssdk.http.ContentStreamProvider p) {
        try (InputStream in = p.newStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String clientName() {
        return "JdkHttpClient";
    }

    @Override
    public void close() {}
}
