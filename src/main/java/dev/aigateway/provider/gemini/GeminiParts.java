package dev.aigateway.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;

import java.util.Locale;
import java.util.Map;

/**
 * OpenAI message content (a string or an array of typed parts) to Gemini parts: text, and media either
 * inline (data URLs, base64 audio) or by reference ({@code fileData} with a URI).
 */
final class GeminiParts {
    private static final Map<String, String> MIME_BY_EXTENSION = Map.ofEntries(
            Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"), Map.entry("png", "image/png"),
            Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"), Map.entry("heic", "image/heic"),
            Map.entry("heif", "image/heif"), Map.entry("pdf", "application/pdf"), Map.entry("txt", "text/plain"),
            Map.entry("mp3", "audio/mp3"), Map.entry("wav", "audio/wav"), Map.entry("flac", "audio/flac"),
            Map.entry("ogg", "audio/ogg"), Map.entry("mp4", "video/mp4"), Map.entry("mov", "video/mov"),
            Map.entry("webm", "video/webm"));
    private static final String DEFAULT_IMAGE_MIME = "image/jpeg";

    private GeminiParts() {}

    /** A user message's content, media included. */
    static ArrayNode of(JsonNode content) {
        ArrayNode parts = Json.array();
        if (content == null || content.isNull()) return parts;
        if (!content.isArray()) {
            addText(parts, content.asText());
            return parts;
        }
        for (JsonNode p : content) {
            String type = p.path("type").asText("");
            switch (type) {
                case "text" -> addText(parts, p.path("text").asText(""));
                case "image_url" -> parts.add(image(p.get("image_url")));
                case "input_audio" -> parts.add(audio(p.path("input_audio")));
                case "file" -> parts.add(file(p.path("file")));
                default -> throw GatewayException.badRequest("Content part type '" + type + "' is not supported by gemini.", "messages");
            }
        }
        return parts;
    }

    /** Text parts only: system prompts and assistant turns carry no media. */
    static ArrayNode textOnly(JsonNode content) {
        ArrayNode parts = Json.array();
        if (content == null || content.isNull()) return parts;
        if (!content.isArray()) {
            addText(parts, content.asText());
            return parts;
        }
        for (JsonNode p : content) {
            if (p.has("text")) addText(parts, p.path("text").asText(""));
            else if (p.has("refusal")) addText(parts, p.path("refusal").asText(""));
        }
        return parts;
    }

    /** The text of a content array, joined (tool results sent as parts). */
    static String joinedText(JsonNode content) {
        if (!content.isArray()) return content.asText();
        StringBuilder sb = new StringBuilder();
        for (JsonNode p : content) if (p.has("text")) sb.append(p.path("text").asText(""));
        return sb.toString();
    }

    private static void addText(ArrayNode parts, String text) {
        // Gemini answers 400 to a part with empty text.
        if (!text.isEmpty()) parts.addObject().put("text", text);
    }

    private static ObjectNode image(JsonNode imageUrl) {
        String url = imageUrl == null ? "" : imageUrl.isTextual() ? imageUrl.asText() : imageUrl.path("url").asText("");
        if (url.isEmpty()) throw GatewayException.badRequest("image_url part has no url.", "messages");
        return media(url, DEFAULT_IMAGE_MIME, null);
    }

    private static ObjectNode audio(JsonNode audio) {
        String data = audio.path("data").asText("");
        String format = audio.path("format").asText("wav");
        if (data.isEmpty()) throw GatewayException.badRequest("input_audio part has no data.", "messages");
        ObjectNode part = Json.object();
        part.putObject("inlineData").put("mimeType", "audio/" + format).put("data", data);
        return part;
    }

    /** OpenAI file parts: inline data URLs, or a URI in file_id (Gemini Files API, gs://, https). */
    private static ObjectNode file(JsonNode file) {
        String data = file.path("file_data").asText("");
        String mime = file.hasNonNull("format") ? file.get("format").asText() : null;
        if (!data.isEmpty()) return media(data, "application/pdf", mime);
        String id = file.path("file_id").asText("");
        if (id.isEmpty()) throw GatewayException.badRequest("file part has neither file_data nor file_id.", "messages");
        return media(id, "application/pdf", mime);
    }

    private static ObjectNode media(String url, String defaultMime, String givenMime) {
        ObjectNode part = Json.object();
        if (url.startsWith("data:")) {
            int comma = url.indexOf(',');
            String meta = comma < 0 ? "" : url.substring(5, comma);
            if (comma < 0 || !meta.endsWith(";base64")) {
                throw GatewayException.badRequest("Only base64 data URLs are supported for media parts.", "messages");
            }
            String mime = meta.substring(0, meta.length() - ";base64".length());
            part.putObject("inlineData")
                    .put("mimeType", givenMime != null ? givenMime : mime.isEmpty() ? defaultMime : mime)
                    .put("data", url.substring(comma + 1));
            return part;
        }
        part.putObject("fileData")
                .put("mimeType", givenMime != null ? givenMime : guessMime(url, defaultMime))
                .put("fileUri", url);
        return part;
    }

    static String guessMime(String url, String fallback) {
        String path = url;
        int cut = indexOfAny(path, '?', '#');
        if (cut >= 0) path = path.substring(0, cut);
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        if (dot < 0 || dot < slash) return fallback;
        return MIME_BY_EXTENSION.getOrDefault(path.substring(dot + 1).toLowerCase(Locale.ROOT), fallback);
    }

    private static int indexOfAny(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        if (i < 0) return j;
        if (j < 0) return i;
        return Math.min(i, j);
    }
}
