package dev.aigateway.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;
import dev.aigateway.fakes.FakeUpstream.Recorded;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OpenAI's non-chat APIs as {@link FakeOpenAi} serves them, in their wire formats: {@code images/generations} (urls or
 * b64_json, gpt-image models with usage), {@code audio/transcriptions} (multipart in; json, verbose_json with
 * {@code duration}, or text out), {@code audio/speech} (JSON in, {@link #SPEECH_BYTES} of audio out in 16 KB pieces {@link #SPEECH_GAP_MS} apart, content
 * type by format), {@code moderations} and {@code rerank} (the vLLM/Jina shape: results with {@code index},
 * {@code document} and {@code relevance_score}, and usage). The multipart parser here is the fake's own, written from
 * RFC 7578, not the gateway's.
 */
public final class FakeMediaApis {
    static final Set<String> OPERATIONS = Set.of("images/generations", "audio/transcriptions", "audio/speech", "moderations", "rerank");
    /** The duration verbose_json reports, in seconds. */
    public static final double DURATION_SECONDS = 12.5;
    /** How many bytes of audio a speech request gets. */
    public static final int SPEECH_BYTES = 256 * 1024;

    /** One upload as the fake parsed it: text fields (repeated ones joined by commas) and the file. */
    public record Form(Map<String, String> fields, String filename, String fileType, byte[] file) {}

    /** The pause between two 16 KB blocks of speech audio, so a client can leave mid-audio. */
    static final long SPEECH_GAP_MS = 10;

    private final io.vertx.core.Vertx vertx;
    private volatile Form lastForm;

    FakeMediaApis(io.vertx.core.Vertx vertx) {
        this.vertx = vertx;
    }

    Form lastForm() {
        return lastForm;
    }

    /** Answers one request of {@code operation} (one of {@link #OPERATIONS}). */
    void answer(HttpServerRequest req, String operation, String azureDeployment, Recorded recorded, Responder out) {
        switch (operation) {
            case "audio/transcriptions" -> transcription(req, recorded, out);
            case "audio/speech" -> speech(req, json(recorded), out);
            case "images/generations" -> images(json(recorded), azureDeployment, out);
            case "moderations" -> moderations(json(recorded), out);
            default -> rerank(json(recorded), out);
        }
    }

    /** How the fake answers: JSON, an OpenAI error, or raw bytes. */
    interface Responder {
        void json(int status, ObjectNode body);

        void error(String message, String param);

        void raw(String contentType, Buffer body);
    }

    private static ObjectNode json(Recorded r) {
        JsonNode n = Json.tryParse(r.body().getBytes());
        return n instanceof ObjectNode o ? o : null;
    }

    private void images(ObjectNode body, String azureDeployment, Responder out) {
        if (body == null || !body.path("prompt").isTextual()) {
            out.error("Missing required parameter: 'prompt'.", "prompt");
            return;
        }
        String model = azureDeployment != null ? azureDeployment : body.path("model").asText("dall-e-2");
        int n = body.path("n").asInt(1);
        ObjectNode r = Json.object().put("created", 1_700_000_000L);
        ArrayNode data = r.putArray("data");
        for (int i = 0; i < n; i++) {
            ObjectNode img = data.addObject();
            if ("b64_json".equals(body.path("response_format").asText()) || model.startsWith("gpt-image")) {
                img.put("b64_json", Base64.getEncoder().encodeToString(("fake-png-" + i).getBytes(StandardCharsets.UTF_8)));
            } else {
                img.put("url", "https://fake.example/images/" + i + ".png");
            }
            if (model.startsWith("dall-e-3")) img.put("revised_prompt", "A revised " + body.path("prompt").asText());
        }
        if (model.startsWith("gpt-image")) {
            r.putObject("usage").put("input_tokens", 50).put("output_tokens", 4160).put("total_tokens", 4210)
                    .putObject("input_tokens_details").put("text_tokens", 50).put("image_tokens", 0);
        }
        out.json(200, r);
    }

    private void transcription(HttpServerRequest req, Recorded recorded, Responder out) {
        String type = req.getHeader("content-type");
        if (type == null || !type.startsWith("multipart/form-data; boundary=")) {
            out.error("Invalid Content-Type header: expected multipart/form-data.", null);
            return;
        }
        Form form = parse(recorded.body(), type.substring(type.indexOf('=') + 1));
        lastForm = form;
        if (form == null || form.file() == null) {
            out.error("Missing required parameter: 'file'.", "file");
            return;
        }
        if (!form.fields().containsKey("model") && req.path().startsWith("/v1/")) {
            out.error("you must provide a model parameter", "model");
            return;
        }
        String text = "Fake transcript of " + form.file().length + " bytes from " + form.filename();
        String format = form.fields().getOrDefault("response_format", "json");
        switch (format) {
            case "text" -> out.raw("text/plain; charset=utf-8", Buffer.buffer(text + "\n"));
            case "verbose_json" -> {
                ObjectNode r = Json.object().put("task", "transcribe").put("language", "english").put("duration", DURATION_SECONDS).put("text", text);
                r.putArray("segments").addObject().put("id", 0).put("start", 0.0).put("end", DURATION_SECONDS).put("text", text);
                out.json(200, r);
            }
            default -> {
                ObjectNode r = Json.object().put("text", text);
                if (form.fields().getOrDefault("model", "").startsWith("gpt-4o")) {
                    r.putObject("usage").put("type", "tokens").put("input_tokens", 120).put("output_tokens", 30).put("total_tokens", 150);
                }
                out.json(200, r);
            }
        }
    }

    private void speech(HttpServerRequest req, ObjectNode body, Responder out) {
        if (body == null || !body.path("input").isTextual() || !body.has("voice")) {
            out.error("Missing required parameter: 'input' or 'voice'.", "input");
            return;
        }
        String format = body.path("response_format").asText("mp3");
        String type = switch (format) {
            case "wav" -> "audio/wav";
            case "opus" -> "audio/ogg";
            case "flac" -> "audio/flac";
            case "pcm" -> "audio/pcm";
            default -> "audio/mpeg";
        };
        var resp = req.response().setStatusCode(200).putHeader("content-type", type).setChunked(true);
        writeBlocks(resp, SPEECH_BYTES / speechBlock().length);
    }

    /** A 200 whose body stops after {@code blocks} 16 KB blocks: the connection is dropped (audio cut off upstream). */
    void cut(HttpServerRequest req, int blocks) {
        var resp = req.response().setStatusCode(200).putHeader("content-type", "audio/mpeg").setChunked(true);
        for (int i = 0; i < blocks; i++) resp.write(Buffer.buffer(speechBlock()));
        vertx.setTimer(50, t -> req.connection().close());
    }

    private void writeBlocks(io.vertx.core.http.HttpServerResponse resp, int left) {
        if (resp.closed()) return;
        if (left == 0) {
            resp.end();
            return;
        }
        resp.write(Buffer.buffer(speechBlock()));
        vertx.setTimer(SPEECH_GAP_MS, t -> writeBlocks(resp, left - 1));
    }

    /** The bytes a speech request's audio is made of (every 16 KB block alike). */
    public static byte[] speechBlock() {
        byte[] block = new byte[16 * 1024];
        for (int i = 0; i < block.length; i++) block[i] = (byte) (i * 31 + 7);
        return block;
    }

    private void moderations(ObjectNode body, Responder out) {
        if (body == null || !body.has("input")) {
            out.error("Missing required parameter: 'input'.", "input");
            return;
        }
        JsonNode input = body.get("input");
        int n = input.isArray() ? input.size() : 1;
        ObjectNode r = Json.object().put("id", "modr-fake").put("model", body.path("model").asText("omni-moderation-latest"));
        ArrayNode results = r.putArray("results");
        for (int i = 0; i < n; i++) {
            String text = input.isArray() ? input.get(i).asText() : input.asText();
            boolean flagged = text.contains("hate");
            ObjectNode res = results.addObject().put("flagged", flagged);
            res.putObject("categories").put("hate", flagged).put("violence", false);
            res.putObject("category_scores").put("hate", flagged ? 0.97 : 0.001).put("violence", 0.0002);
        }
        out.json(200, r);
    }

    private void rerank(ObjectNode body, Responder out) {
        if (body == null || !body.path("query").isTextual() || !body.path("documents").isArray()) {
            out.error("Missing required parameter: 'query' or 'documents'.", "query");
            return;
        }
        String query = body.get("query").asText();
        List<ObjectNode> results = new ArrayList<>();
        int i = 0;
        long tokens = query.length() / 4 + 1;
        for (JsonNode d : body.get("documents")) {
            String text = d.asText();
            tokens += text.length() / 4 + 1;
            double score = text.contains(query) ? 0.9 : 0.1 / (i + 1);
            ObjectNode r = Json.object().put("index", i++);
            r.putObject("document").put("text", text);
            r.put("relevance_score", score);
            results.add(r);
        }
        results.sort((a, b) -> Double.compare(b.get("relevance_score").asDouble(), a.get("relevance_score").asDouble()));
        int top = body.path("top_n").asInt(results.size());
        ObjectNode r = Json.object().put("id", "rerank-fake").put("model", body.path("model").asText());
        r.putObject("usage").put("total_tokens", tokens);
        ArrayNode arr = r.putArray("results");
        results.stream().limit(top).forEach(arr::add);
        out.json(200, r);
    }

    /** RFC 7578, simply: parts between {@code --boundary} lines, headers up to a blank line. Null when malformed. */
    static Form parse(Buffer body, String boundary) {
        String all = body.toString(StandardCharsets.ISO_8859_1);
        String delimiter = "--" + boundary;
        if (!all.startsWith(delimiter) || !all.contains(delimiter + "--")) return null;
        Map<String, String> fields = new LinkedHashMap<>();
        String filename = null;
        String fileType = null;
        byte[] file = null;
        for (String part : all.substring(delimiter.length(), all.lastIndexOf(delimiter + "--")).split("\r\n" + java.util.regex.Pattern.quote(delimiter))) {
            if (!part.startsWith("\r\n")) return null;
            int blank = part.indexOf("\r\n\r\n");
            if (blank < 0) return null;
            String headers = part.substring(2, blank);
            String value = part.substring(blank + 4);
            if (value.endsWith("\r\n")) value = value.substring(0, value.length() - 2);
            String name = between(headers, "name=\"");
            String fname = between(headers, "filename=\"");
            if (fname != null) {
                filename = fname;
                file = value.getBytes(StandardCharsets.ISO_8859_1);
                for (String line : headers.split("\r\n")) {
                    if (line.toLowerCase().startsWith("content-type:")) fileType = line.substring(13).strip();
                }
            } else if (name != null) {
                String text = new String(value.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
                fields.merge(name, text, (a, b) -> a + "," + b);
            }
        }
        return new Form(fields, filename, fileType, file);
    }

    private static String between(String headers, String start) {
        int i = headers.indexOf(start);
        if (i < 0 || i > 0 && headers.charAt(i - 1) != ' ' && headers.charAt(i - 1) != ';') {
            if (i < 0) return null;
            int j = headers.indexOf("; " + start);
            if (j < 0) return null;
            i = j + 2;
        }
        int end = headers.indexOf('"', i + start.length());
        return end < 0 ? null : headers.substring(i + start.length(), end);
    }
}
