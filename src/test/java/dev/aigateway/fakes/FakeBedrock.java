package dev.aigateway.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/**
 * A Bedrock runtime (and the STS AssumeRole it trusts) that checks what AWS checks: every request's SigV4 signature
 * is recomputed from the secret of the access key it names ({@link SigV4Verifier}, independent of the AWS SDK), with
 * AWS's 403 bodies for an unknown key or a wrong signature; session credentials need their token. Converse answers in
 * JSON, ConverseStream in event-stream frames with real CRC32s, written in odd-sized pieces so frames arrive split.
 */
public final class FakeBedrock extends FakeUpstream {
    public static final String REGION = "us-east-1";
    public static final String ACCESS_KEY = "AKIDFAKEBEDROCK0001";
    public static final String SECRET = "fake/Secret+Key/For/Bedrock/Tests0000";
    public static final String BEARER = "ABSKfakebedrockapikey0123456789";
    public static final String BAD_SIGNATURE = "The request signature we calculated does not match the signature you provided. "
            + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

    private record Creds(String secret, String token) {}

    private final Map<String, Creds> known = new ConcurrentHashMap<>();
    private final AtomicInteger stsCalls = new AtomicInteger();
    private volatile long stsDelayMs;
    private volatile long stsLifetimeSeconds = 3600;

    public FakeBedrock() {
        known.put(ACCESS_KEY, new Creds(SECRET, null));
    }

    /** STS answers after this delay (a slow STS), issuing credentials that last {@code lifetimeSeconds}. */
    public void sts(long delayMs, long lifetimeSeconds) {
        this.stsDelayMs = delayMs;
        this.stsLifetimeSeconds = lifetimeSeconds;
    }

    public int stsCalls() {
        return stsCalls.get();
    }

    @Override
    protected void handle(HttpServerRequest req, Recorded r, Scenario scenario) {
        HttpServerResponse resp = req.response();
        boolean sts = "/".equals(req.path());
        String refused = authenticate(req, r, sts ? "sts" : "bedrock");
        if (refused != null) {
            error(resp, 403, refused.startsWith("The request signature") ? "InvalidSignatureException" : "UnrecognizedClientException", refused);
            return;
        }
        if (sts) {
            assumeRole(req, r);
            return;
        }
        if ("/foundation-models".equals(req.path())) { // ListFoundationModels, the doctor's probe
            if (scenario instanceof Scenario.Error e && e.status() == 403) {
                error(resp, 403, "AccessDeniedException",
                        "User: arn:aws:iam::123456789012:user/gw is not authorized to perform: bedrock:ListFoundationModels");
            } else {
                resp.putHeader("content-type", "application/json").end("""
                        {"modelSummaries":[{"modelId":"anthropic.claude-sonnet-4-20250514-v1:0"},{"modelId":"amazon.titan-text-express-v1"}]}""");
            }
            return;
        }
        String[] parts = req.path().split("/");
        if (parts.length != 4 || !"model".equals(parts[1])) {
            error(resp, 404, "UnknownOperationException", "Unknown operation");
            return;
        }
        String modelId = URLDecoder.decode(parts[2], StandardCharsets.UTF_8);
        String action = parts[3];
        if (scenario instanceof Scenario.Hang) return; // accepted, never answered
        if (scenario instanceof Scenario.Error e && !"stream_throttle".equals(e.kind())) {
            errorFor(resp, e, modelId);
            return;
        }
        switch (action) {
            case "converse" -> resp.putHeader("content-type", "application/json").end(Json.toBuffer(converse(scenario)));
            case "converse-stream" -> converseStream(resp, scenario);
            case "invoke" -> resp.putHeader("content-type", "application/json").end(Json.toBuffer(
                    modelId.contains("anthropic.claude") ? claudeMessage(scenario) : embed(modelId, r.json())));
            case "invoke-with-response-stream" -> claudeStream(resp, scenario);
            default -> error(resp, 404, "UnknownOperationException", "Unknown operation " + action);
        }
    }

    /** Null when the request is signed (or carries the API key) as AWS requires; else AWS's message. */
    private String authenticate(HttpServerRequest req, Recorded r, String service) {
        String auth = r.headers().get("authorization");
        if (auth != null && auth.startsWith("Bearer ")) {
            return auth.substring(7).equals(BEARER) && !"sts".equals(service) ? null : "Invalid API Key format: Must start with pre-defined prefix";
        }
        SigV4Verifier.Authorization a = SigV4Verifier.Authorization.parse(auth);
        if (a == null) return "Missing Authentication Token";
        Creds c = known.get(a.accessKeyId());
        if (c == null) return "The security token included in the request is invalid.";
        if (c.token() != null && (!c.token().equals(r.headers().get("x-amz-security-token")) || !a.signedHeaders().contains("x-amz-security-token"))) {
            return "The security token included in the request is invalid.";
        }
        String amzDate = r.headers().get("x-amz-date");
        if (amzDate == null || !amzDate.startsWith(a.date()) || !REGION.equals(a.region()) || !service.equals(a.service())
                || !a.signedHeaders().contains("host")) {
            return "Credential should be scoped to a valid region and service, with host and x-amz-date signed.";
        }
        Map<String, String> headers = new HashMap<>();
        for (String h : a.signedHeaders()) headers.put(h, r.headers().get(h));
        // Over HTTP/2 (the JDK client upgrades cleartext connections) Host arrives as the :authority pseudo-header.
        if (headers.get("host") == null && req.authority() != null) headers.put("host", req.authority().toString());
        String expected = SigV4Verifier.signature(req.method().name(), req.path(), req.query(), headers, a.signedHeaders(),
                r.body().getBytes(), amzDate, a.region(), a.service(), c.secret(), true);
        return expected.equals(a.signature()) ? null : BAD_SIGNATURE;
    }

    private void assumeRole(HttpServerRequest req, Recorded r) {
        int n = stsCalls.incrementAndGet();
        String form = r.body().toString();
        if (!form.contains("Action=AssumeRole")) {
            error(req.response(), 400, "InvalidAction", "Could not find operation");
            return;
        }
        String keyId = "ASIAFAKEROLE" + n;
        Creds c = new Creds("role-secret-" + n + "/abcdefghij", "role-session-token-" + n);
        known.put(keyId, c);
        String expiry = Instant.now().plusSeconds(stsLifetimeSeconds).truncatedTo(ChronoUnit.SECONDS).toString();
        String xml = """
                <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <AssumeRoleResult>
                    <AssumedRoleUser><AssumedRoleId>AROAFAKE:gw</AssumedRoleId><Arn>arn:aws:sts::123456789012:assumed-role/bedrock/gw</Arn></AssumedRoleUser>
                    <Credentials><AccessKeyId>%s</AccessKeyId><SecretAccessKey>%s</SecretAccessKey><SessionToken>%s</SessionToken><Expiration>%s</Expiration></Credentials>
                  </AssumeRoleResult>
                  <ResponseMetadata><RequestId>req-%d</RequestId></ResponseMetadata>
                </AssumeRoleResponse>""".formatted(keyId, c.secret(), c.token(), expiry, n);
        vertx.setTimer(Math.max(1, stsDelayMs), t -> req.response().putHeader("content-type", "text/xml").end(xml));
    }

    private static void error(HttpServerResponse resp, int status, String type, String message) {
        resp.setStatusCode(status).putHeader("content-type", "application/json")
                .putHeader("x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/")
                .end(Json.toBuffer(Json.object().put("message", message)));
    }

    private static void errorFor(HttpServerResponse resp, Scenario.Error e, String modelId) {
        switch (e.status()) {
            case 429 -> error(resp, 429, "ThrottlingException", "Too many requests, please wait before trying again.");
            case 403 -> error(resp, 403, "AccessDeniedException", "model_not_enabled".equals(e.kind())
                    ? "You don't have access to the model with the specified model ID."
                    : "User: arn:aws:iam::123456789012:user/gw is not authorized to perform: bedrock:InvokeModel on resource: " + modelId);
            case 404 -> error(resp, 404, "ResourceNotFoundException", "Could not resolve the foundation model from the provided model identifier.");
            case 503 -> error(resp, 503, "ServiceUnavailableException", "Bedrock is unable to process your request.");
            case 500 -> error(resp, 500, "InternalServerException", "The server encountered an internal error.");
            default -> error(resp, 400, "ValidationException", "context_length".equals(e.kind())
                    ? "Input is too long for requested model." : "A conversation must start with a user message.");
        }
    }

    private static ObjectNode usage(int output) {
        ObjectNode u = Json.object();
        u.put("inputTokens", 12).put("outputTokens", output).put("totalTokens", 12 + output + 5);
        u.put("cacheReadInputTokens", 3).put("cacheWriteInputTokens", 2);
        return u;
    }

    private static ObjectNode converse(Scenario scenario) {
        ObjectNode out = Json.object();
        ObjectNode message = out.putObject("output").putObject("message");
        message.put("role", "assistant");
        ArrayNode content = message.putArray("content");
        if (scenario instanceof Scenario.ToolCall t) {
            content.addObject().put("text", "Let me check.");
            ObjectNode use = content.addObject().putObject("toolUse");
            use.put("toolUseId", "tooluse_Abc123").put("name", t.name()).set("input", Json.parse(t.argumentsJson()));
            out.put("stopReason", "tool_use");
            out.set("usage", usage(9));
        } else {
            String text = scenario instanceof Scenario.Text t ? t.text() : "Hello from the fake!";
            content.addObject().put("text", text);
            out.put("stopReason", "end_turn");
            out.set("usage", usage(text.split(" ").length));
        }
        out.putObject("metrics").put("latencyMs", 42);
        return out;
    }

    private void converseStream(HttpServerResponse resp, Scenario scenario) {
        List<Buffer> frames = new ArrayList<>();
        frames.add(event("messageStart", Json.object().put("role", "assistant")));
        int cutAfter = scenario instanceof Scenario.CutStream c ? c.chunks() : -1;
        if (scenario instanceof Scenario.ToolCall t) {
            frames.add(event("contentBlockDelta", delta(0, Json.object().put("text", "Let me check."))));
            frames.add(event("contentBlockStop", Json.object().put("contentBlockIndex", 0)));
            ObjectNode start = Json.object().put("contentBlockIndex", 1);
            start.putObject("start").putObject("toolUse").put("toolUseId", "tooluse_Abc123").put("name", t.name());
            frames.add(event("contentBlockStart", start));
            String args = t.argumentsJson();
            int half = args.length() / 2;
            for (String piece : new String[]{args.substring(0, half), args.substring(half)}) {
                ObjectNode d = Json.object();
                d.putObject("toolUse").put("input", piece);
                frames.add(event("contentBlockDelta", delta(1, d)));
            }
            frames.add(event("contentBlockStop", Json.object().put("contentBlockIndex", 1)));
            frames.add(event("messageStop", Json.object().put("stopReason", "tool_use")));
            frames.add(event("metadata", Json.object().<ObjectNode>set("usage", usage(9))));
        } else {
            String text = scenario instanceof Scenario.Text t ? t.text() : "Hello from the fake!";
            String[] words = text.split(" ");
            for (int i = 0; i < words.length; i++) {
                if (i == cutAfter) break;
                frames.add(event("contentBlockDelta", delta(0, Json.object().put("text", (i == 0 ? "" : " ") + words[i]))));
                if (i == 0 && scenario instanceof Scenario.Error) {
                    frames.add(exception("throttlingException", "Too many tokens, please wait before trying again."));
                    cutAfter = 1;
                    break;
                }
            }
            if (cutAfter < 0) {
                frames.add(event("contentBlockStop", Json.object().put("contentBlockIndex", 0)));
                frames.add(event("messageStop", Json.object().put("stopReason", "end_turn")));
                frames.add(event("metadata", Json.object().<ObjectNode>set("usage", usage(words.length))));
            }
        }
        Buffer all = Buffer.buffer();
        frames.forEach(all::appendBuffer);
        resp.setChunked(true).putHeader("content-type", "application/vnd.amazon.eventstream");
        // Odd-sized pieces: frames (and their preludes) arrive split across reads, as TCP may deliver them.
        for (int at = 0; at < all.length(); at += 37) resp.write(all.getBuffer(at, Math.min(all.length(), at + 37)));
        if (cutAfter >= 0) resp.reset();
        else resp.end();
    }

    private static String textOf(Scenario scenario) {
        return scenario instanceof Scenario.Text t ? t.text() : "Hello from the fake!";
    }

    /** InvokeModel on Claude: Anthropic's message. */
    private static ObjectNode claudeMessage(Scenario scenario) {
        String text = textOf(scenario);
        return (ObjectNode) Json.parse("""
                {"id":"msg_bdrk_01","type":"message","role":"assistant","model":"claude-3-haiku-20240307",
                 "content":[{"type":"text","text":%s}],"stop_reason":"end_turn","stop_sequence":null,
                 "usage":{"input_tokens":12,"output_tokens":%d,"cache_read_input_tokens":4,"cache_creation_input_tokens":0}}""".formatted(
                Json.toString(Json.object().put("t", text).get("t")), text.split(" ").length));
    }

    /** InvokeModelWithResponseStream on Claude: Anthropic's events, each base64 in a chunk frame's {@code bytes}. */
    private static void claudeStream(HttpServerResponse resp, Scenario scenario) {
        String[] words = textOf(scenario).split(" ");
        List<String> events = new ArrayList<>();
        events.add("""
                {"type":"message_start","message":{"id":"msg_bdrk_02","type":"message","role":"assistant","model":"claude-3-haiku-20240307",
                 "content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":1}}}""");
        events.add("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
        for (int i = 0; i < words.length; i++) {
            ObjectNode e = Json.object().put("type", "content_block_delta").put("index", 0);
            e.putObject("delta").put("type", "text_delta").put("text", (i == 0 ? "" : " ") + words[i]);
            events.add(Json.toString(e));
        }
        events.add("{\"type\":\"content_block_stop\",\"index\":0}");
        events.add("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":"
                + words.length + "}}");
        events.add("{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":12,\"outputTokenCount\":"
                + words.length + ",\"invocationLatency\":5,\"firstByteLatency\":2}}");
        Buffer all = Buffer.buffer();
        for (String e : events) {
            Map<String, String> h = new LinkedHashMap<>();
            h.put(":event-type", "chunk");
            h.put(":content-type", "application/json");
            h.put(":message-type", "event");
            String bytes = java.util.Base64.getEncoder().encodeToString(e.getBytes(StandardCharsets.UTF_8));
            all.appendBuffer(frame(h, Json.toBytes(Json.object().put("bytes", bytes).put("p", "abcd"))));
        }
        resp.setChunked(true).putHeader("content-type", "application/vnd.amazon.eventstream");
        for (int at = 0; at < all.length(); at += 29) resp.write(all.getBuffer(at, Math.min(all.length(), at + 29)));
        resp.end();
    }

    private static ObjectNode delta(int index, ObjectNode delta) {
        ObjectNode e = Json.object().put("contentBlockIndex", index);
        e.set("delta", delta);
        return e;
    }

    private static Buffer event(String type, ObjectNode payload) {
        payload.put("p", "abcdefgh"); // Bedrock pads events to hide their lengths
        Map<String, String> h = new LinkedHashMap<>();
        h.put(":event-type", type);
        h.put(":content-type", "application/json");
        h.put(":message-type", "event");
        return frame(h, Json.toBytes(payload));
    }

    private static Buffer exception(String type, String message) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(":exception-type", type);
        h.put(":content-type", "application/json");
        h.put(":message-type", "exception");
        return frame(h, Json.toBytes(Json.object().put("message", message)));
    }

    /** One event-stream frame: prelude with its CRC32, string headers, payload, message CRC32. */
    public static Buffer frame(Map<String, String> headers, byte[] payload) {
        Buffer hb = Buffer.buffer();
        headers.forEach((k, v) -> {
            byte[] name = k.getBytes(StandardCharsets.UTF_8);
            byte[] value = v.getBytes(StandardCharsets.UTF_8);
            hb.appendByte((byte) name.length).appendBytes(name).appendByte((byte) 7).appendShort((short) value.length).appendBytes(value);
        });
        int total = 12 + hb.length() + payload.length + 4;
        Buffer f = Buffer.buffer().appendInt(total).appendInt(hb.length());
        f.appendInt((int) crc(f.getBytes()));
        f.appendBuffer(hb).appendBytes(payload);
        f.appendInt((int) crc(f.getBytes()));
        return f;
    }

    private static long crc(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return c.getValue();
    }

    private static ObjectNode embed(String modelId, JsonNode body) {
        ObjectNode out = Json.object();
        if (modelId.startsWith("cohere.embed")) {
            ArrayNode all = out.putArray("embeddings");
            for (JsonNode t : body.path("texts")) all.addArray().add(0.5).add(t.asText().length()).add(-0.5);
            out.put("id", "emb-1").put("response_type", "embeddings_floats");
            out.set("texts", body.path("texts"));
            return out;
        }
        String text = body.path("inputText").asText();
        int dims = body.path("dimensions").asInt(3);
        ArrayNode v = out.putArray("embedding");
        for (int i = 0; i < dims; i++) v.add(i == 0 ? text.length() : 0.25);
        out.put("inputTextTokenCount", text.split(" ").length);
        return out;
    }
}
