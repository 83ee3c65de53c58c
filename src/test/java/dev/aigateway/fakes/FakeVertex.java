package dev.aigateway.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;
import dev.aigateway.provider.anthropic.FakeAnthropic;
import dev.aigateway.provider.gemini.FakeGemini;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Vertex AI's model endpoints: {@code /v1/projects/{p}/locations/{l}/publishers/{google|anthropic}/models/{m}:{method}}.
 * Every call needs a bearer token the {@link FakeGoogleToken} issued and still honours (Google's 401 UNAUTHENTICATED
 * otherwise). Gemini's methods ({@code :generateContent}, {@code :streamGenerateContent?alt=sse}) are answered by a
 * {@link FakeGemini}, Claude's ({@code :rawPredict}, {@code :streamRawPredict}, whose body must carry
 * {@code anthropic_version: vertex-2023-10-16} and no {@code model}) by a {@link FakeAnthropic}; {@code :predict}
 * answers text embeddings itself.
 */
public final class FakeVertex extends FakeUpstream {
    private static final Pattern PATH = Pattern.compile(
            "/v1/projects/([^/]+)/locations/([^/]+)/publishers/(google|anthropic)/models/([^/:]+):([A-Za-z]+)");
    public static final int EMBEDDING_DIMS = 4;
    private static final java.util.Set<String> HOP_BY_HOP = java.util.Set.of("content-length", "transfer-encoding", "connection", "keep-alive");
    private final FakeGoogleToken tokens;
    private final FakeGemini gemini = new FakeGemini();
    private final FakeAnthropic anthropic = new FakeAnthropic();
    private final HttpClient client = vertx.createHttpClient();
    private volatile boolean denied;
    /** Google's error every call gets, when set: {code, status, message}. */
    private volatile String[] failure;
    private final java.util.concurrent.atomic.AtomicInteger refusedTokens = new java.util.concurrent.atomic.AtomicInteger();

    private final boolean ownsTokens;

    public FakeVertex(FakeGoogleToken tokens) {
        this(tokens, false);
    }

    /** With a token endpoint of its own, closed with it. */
    public FakeVertex() {
        this(new FakeGoogleToken(), true);
    }

    private FakeVertex(FakeGoogleToken tokens, boolean ownsTokens) {
        this.tokens = tokens;
        this.ownsTokens = ownsTokens;
    }

    public FakeGoogleToken tokens() {
        return tokens;
    }

    /** The model families' fakes answer as the scenario says. */
    @Override
    public void scenario(Scenario s) {
        super.scenario(s);
        gemini.scenario(s);
        anthropic.scenario(s);
    }

    /** The model URL a deployment's api_base names, as LiteLLM takes it. */
    public String modelUrl(String publisher, String model) {
        return host() + "/v1/projects/" + FakeGoogleToken.PROJECT + "/locations/us-central1/publishers/" + publisher + "/models/" + model;
    }

    public FakeGemini gemini() {
        return gemini;
    }

    public FakeAnthropic anthropic() {
        return anthropic;
    }

    /** The account lacks roles/aiplatform.user: every call is 403 PERMISSION_DENIED. */
    public void deny(boolean denied) {
        this.denied = denied;
    }

    /** Every call answers Google's error {@code {"error": {code, message, status}}} (null: answer normally). */
    public void failWith(int code, String status, String message) {
        this.failure = new String[]{Integer.toString(code), status, message};
    }

    /** Calls Vertex refused for their token. */
    public int unauthenticated() {
        return refusedTokens.get();
    }

    @Override
    protected void handle(HttpServerRequest req, Recorded rec, Scenario scenario) {
        Matcher m = PATH.matcher(rec.path());
        if (!"POST".equals(rec.method()) || !m.matches()) {
            error(req, 404, "NOT_FOUND", "The requested URL " + rec.path() + " was not found on this server.");
            return;
        }
        if (!tokens.accepts(bearer(rec))) {
            refusedTokens.incrementAndGet();
            error(req, 401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access token, "
                    + "login cookie or other valid authentication credential.");
            return;
        }
        if (denied) {
            error(req, 403, "PERMISSION_DENIED", "Permission 'aiplatform.endpoints.predict' denied on resource '//aiplatform.googleapis.com/projects/"
                    + m.group(1) + "/locations/" + m.group(2) + "/publishers/" + m.group(3) + "/models/" + m.group(4) + "' (or it may not exist).");
            return;
        }
        String[] f = failure;
        if (f != null) {
            error(req, Integer.parseInt(f[0]), f[1], f[2]);
            return;
        }
        String publisher = m.group(3), model = m.group(4), method = m.group(5);
        switch (publisher + ":" + method) {
            case "google:generateContent", "google:streamGenerateContent" -> forward(req, gemini.port(),
                    "/v1beta/models/" + model + ":" + method + (rec.query() == null ? "" : "?" + rec.query()), rec.body(),
                    "x-goog-api-key", FakeGemini.KEY);
            case "google:predict" -> predict(req, rec.json());
            case "anthropic:rawPredict", "anthropic:streamRawPredict" -> claude(req, rec, model, method.equals("streamRawPredict"));
            default -> error(req, 400, "INVALID_ARGUMENT", "fake: " + publisher + " has no method " + method);
        }
    }

    private void claude(HttpServerRequest req, Recorded rec, String model, boolean stream) {
        JsonNode body = rec.json();
        if (!"vertex-2023-10-16".equals(body.path("anthropic_version").asText()) || body.has("model")) {
            // Anthropic's own answer to a body meant for its API rather than Vertex's.
            req.response().setStatusCode(400).putHeader("content-type", "application/json").end("{\"type\":\"error\",\"error\":"
                    + "{\"type\":\"invalid_request_error\",\"message\":\"anthropic_version: vertex-2023-10-16 is required; model: Extra inputs are not permitted\"}}");
            return;
        }
        if (stream != body.path("stream").asBoolean(false)) {
            error(req, 400, "INVALID_ARGUMENT", "fake: streamRawPredict takes stream: true, rawPredict does not");
            return;
        }
        ObjectNode messages = ((ObjectNode) body).deepCopy();
        messages.remove("anthropic_version");
        messages.put("model", model);
        forward(req, anthropic.port(), "/v1/messages", Json.toBuffer(messages), "x-api-key", FakeAnthropic.KEY);
    }

    private void predict(HttpServerRequest req, JsonNode body) {
        ObjectNode out = Json.object();
        ArrayNode predictions = out.putArray("predictions");
        int i = 0;
        for (JsonNode instance : body.path("instances")) {
            ObjectNode e = predictions.addObject().putObject("embeddings");
            ArrayNode values = e.putArray("values");
            int dims = body.path("parameters").path("outputDimensionality").asInt(EMBEDDING_DIMS);
            for (int d = 0; d < dims; d++) values.add(0.5 * (i + 1) + d * 0.01);
            e.putObject("statistics").put("truncated", false).put("token_count", instance.path("content").asText().split(" ").length);
            i++;
        }
        out.putObject("metadata").put("billableCharacterCount", 10);
        req.response().putHeader("content-type", "application/json").end(out.toString());
    }

    /** Hands the call to the model family's fake with its key, and its answer back as it came. */
    private void forward(HttpServerRequest req, int port, String uri, Buffer body, String keyHeader, String key) {
        RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI(uri)
                .putHeader("content-type", "application/json").putHeader(keyHeader, key).putHeader("anthropic-version", "2023-06-01");
        String beta = req.headers().get("anthropic-beta");
        if (beta != null) o.putHeader("anthropic-beta", beta);
        // Streamed through as it comes (a slow stream stays slow; a cut one is cut here too).
        client.request(o).compose(r -> r.send(body)).onSuccess(resp -> {
            req.response().setStatusCode(resp.statusCode());
            resp.headers().forEach((name, value) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT))) req.response().headers().add(name, value);
            });
            req.response().setChunked(true);
            resp.pipe().endOnFailure(false).to(req.response()).onFailure(t -> req.connection().close());
        }).onFailure(t -> error(req, 500, "INTERNAL", "fake: " + t));
    }

    private static String bearer(Recorded r) {
        String h = r.headers().get("authorization");
        return h != null && h.startsWith("Bearer ") ? h.substring(7) : null;
    }

    private static void error(HttpServerRequest req, int code, String status, String message) {
        ObjectNode body = Json.object();
        body.putObject("error").put("code", code).put("message", message).put("status", status);
        req.response().setStatusCode(code).putHeader("content-type", "application/json").end(body.toString());
    }

    @Override
    public void reset() {
        super.reset();
        gemini.reset();
        anthropic.reset();
        denied = false;
        failure = null;
        refusedTokens.set(0);
    }

    @Override
    public void close() {
        gemini.close();
        anthropic.close();
        if (ownsTokens) tokens.close();
        super.close();
    }
}
