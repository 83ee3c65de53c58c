package dev.aigateway.server.audio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;
import dev.aigateway.governance.spend.Pricing;
import dev.aigateway.provider.Provider;
import dev.aigateway.provider.http.MultipartForm;
import dev.aigateway.server.ErrorShape;
import dev.aigateway.server.LlmRoute;

import java.util.Set;

import static dev.aigateway.server.RequestFields.bad;
import static dev.aigateway.server.RequestFields.oneOf;

/**
 * {@code POST /v1/audio/transcriptions}: OpenAI's upload API ({@code multipart/form-data}: {@code file}, {@code model}
 * and text fields), read within the request size limit and encoded again for the deployment. A text format
 * ({@code text}, {@code srt}, {@code vtt}) is answered as {@code {"text": ...}}, as LiteLLM answers it. Billed per second
 * of audio ({@code input_cost_per_second}) when the answer says how long it was ({@code verbose_json}'s
 * {@code duration}, or a {@code usage} of type duration), and per token when it reports tokens (gpt-4o-transcribe).
 */
public final class TranscriptionsHandler {
    public static final LlmRoute ROUTE = new LlmRoute("transcription", TranscriptionsHandler::validate, Provider::transcription,
            LlmRoute.Answer.AS_IS, null, ErrorShape.OPENAI).takingForm().metered(TranscriptionsHandler::usage);

    /** The most seconds one transcription is billed: a year, far past any upload the body limit lets through. */
    static final double MAX_SECONDS = 365 * 86_400;
    private static final Set<String> FORMATS = Set.of("json", "text", "srt", "verbose_json", "vtt", "diarized_json");

    private TranscriptionsHandler() {}

    static ObjectNode validate(ObjectNode form) {
        JsonNode file = form.get("file");
        if (file == null) throw bad("Missing required parameter: 'file'.", "file");
        MultipartForm.Part part = MultipartForm.file(file);
        if (part == null) throw bad("Invalid 'file': expected one uploaded file (a form part with a filename).", "file");
        if (part.data().length() == 0) throw bad("Invalid 'file': the uploaded file is empty.", "file");
        oneOf(form, "response_format", FORMATS);
        for (String f : new String[]{"model", "language", "prompt", "temperature"}) {
            if (form.has(f) && !form.get(f).isTextual()) throw bad("Invalid '" + f + "': expected one text field.", f);
        }
        if ("true".equals(form.path("stream").asText())) {
            throw bad("Streamed transcription is not supported by the gateway: leave 'stream' unset.", "stream");
        }
        return form;
    }

    static JsonNode usage(ObjectNode request, ObjectNode result) {
        ObjectNode usage = Json.object();
        if (result == null) return usage; // asked before the answer: how long the audio is, only the answer says
        JsonNode reported = result.get("usage");
        double seconds = result.path("duration").asDouble(0);
        if (reported != null && "duration".equals(reported.path("type").asText())) seconds = reported.path("seconds").asDouble(seconds);
        if (reported != null && "tokens".equals(reported.path("type").asText())) {
            long in = reported.path("input_tokens").asLong(0);
            long out = reported.path("output_tokens").asLong(0);
            usage.put("prompt_tokens", in).put("completion_tokens", out).put("total_tokens", reported.path("total_tokens").asLong(in + out));
        }
        // the upstream's figure, bounded (a year of audio) so that no answer can overflow the cost
        usage.putObject(Pricing.BILLED_UNITS).put("seconds", Double.isFinite(seconds) ? Math.max(0, Math.min(seconds, MAX_SECONDS)) : 0);
        return usage;
    }
}
