package dev.aigateway.server.ui;

import dev.aigateway.core.GatewayException;
import dev.aigateway.server.RequestContext;
import dev.aigateway.server.RequestPipeline;
import dev.aigateway.server.Responses;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Serves the UI's files from the classpath ({@code ui/} in the jar): {@code GET /ui/} is the page, {@code /ui/<asset>}
 * its scripts, styles and vendored libraries. A file is read once (on a worker thread) and then served from memory.
 *
 * <p>Only names made of letters, digits, {@code - _} and single dots between them, with a known extension, are looked
 * up: {@code ..}, encoded characters, backslashes and hidden files never reach the class loader, so nothing outside
 * {@code ui/} can be read. Unknown files get the gateway's JSON 404.
 *
 * <p>Caching: {@code vendor/} files carry their version in their path and are immutable; everything else (the page
 * and the app's own modules) is revalidated on each load ({@code no-cache} with an ETag), so an upgrade shows at once.
 */
final class StaticFiles {
    private static final String ROOT = "ui/";
    private static final Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*(/[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*)*");
    private static final int MAX_PATH = 200;
    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    static final String REVALIDATE = "no-cache";
    /** Scripts and styles only from this origin, nothing inline (styles set from scripts go through the CSSOM); no framing. */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("webmanifest", "application/manifest+json"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("md", "text/plain; charset=utf-8"));

    private final RequestPipeline pipeline;
    private final ClassLoader loader;
    private final Map<String, Asset> cache = new ConcurrentHashMap<>();

    StaticFiles(RequestPipeline pipeline) {
        this.pipeline = pipeline;
        this.loader = StaticFiles.class.getClassLoader();
    }

    /**
     * {@code GET /ui} and {@code /ui/}: the page. Without the slash the browser would resolve the page's relative links
     * wrongly, so {@code /ui} redirects, relatively ({@code ui/}): behind a proxy that adds a prefix
     * ({@code /api/litellm/ui}) the browser stays under it.
     */
    void index(HttpServerRequest req) {
        String path = req.path();
        if (!path.endsWith("/")) {
            RequestContext ctx = pipeline.begin(req);
            String last = path.substring(path.lastIndexOf('/') + 1);
            ctx.response().putHeader("location", last + "/");
            Responses.send(ctx, 302, "text/plain; charset=utf-8", Buffer.buffer("Moved to " + path + "/"));
            return;
        }
        serve(req, "index.html");
    }

    /** {@code GET /ui/<path>}. */
    void asset(HttpServerRequest req, String path) {
        serve(req, path);
    }

    private void serve(HttpServerRequest req, String path) {
        RequestContext ctx = pipeline.begin(req);
        String type = safe(path) ? TYPES.get(extension(path)) : null;
        if (type == null) {
            Responses.error(ctx, missing(path));
            return;
        }
        Asset cached = cache.get(path);
        if (cached != null) {
            send(ctx, cached);
            return;
        }
        pipeline.blocking(() -> load(path, type)).onComplete(ar -> {
            if (ar.failed()) Responses.error(ctx, ar.cause());
            else if (ar.result().isEmpty()) Responses.error(ctx, missing(path));
            else send(ctx, cache.computeIfAbsent(path, p -> ar.result().get()));
        });
    }

    private void send(RequestContext ctx, Asset a) {
        HttpServerResponse r = ctx.response();
        r.putHeader("cache-control", a.path.startsWith("vendor/") ? IMMUTABLE : REVALIDATE);
        r.putHeader("etag", a.etag);
        r.putHeader("x-content-type-options", "nosniff");
        if (a.contentType.startsWith("text/html")) {
            r.putHeader("content-security-policy", CSP);
            r.putHeader("x-frame-options", "DENY");
            r.putHeader("referrer-policy", "no-referrer");
        }
        String match = ctx.request().getHeader("if-none-match");
        if (match != null && match.contains(a.etag)) {
            Responses.gatewayHeaders(ctx);
            r.setStatusCode(304).end();
            ctx.finish(304, null);
            return;
        }
        Responses.send(ctx, 200, a.contentType, a.body);
    }

    /** Reads a file of the UI from the classpath (blocking); empty when there is none. */
    private Optional<Asset> load(String path, String type) throws IOException {
        URL url = loader.getResource(ROOT + path);
        if (url == null) return Optional.empty();
        if ("file".equals(url.getProtocol())) { // exploded classes (development, tests): never a directory
            try {
                if (!Files.isRegularFile(Path.of(url.toURI()))) return Optional.empty();
            } catch (URISyntaxException | IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        try (InputStream in = url.openStream()) {
            byte[] bytes = in.readAllBytes();
            return Optional.of(new Asset(path, type, Buffer.buffer(bytes), etag(bytes)));
        }
    }

    static boolean safe(String path) {
        return path != null && path.length() <= MAX_PATH && SAFE_PATH.matcher(path).matches();
    }

    private static String extension(String path) {
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        return dot > slash ? path.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
    }

    private static GatewayException missing(String path) {
        return GatewayException.notFound("The admin UI has no file '" + (path.length() > 80 ? path.substring(0, 80) + "..." : path)
                + "'. Open /ui/ for the UI.");
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(d, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Asset(String path, String contentType, Buffer body, String etag) {}
}
