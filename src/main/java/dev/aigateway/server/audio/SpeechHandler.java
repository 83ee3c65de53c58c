package dev.aigateway.server.audio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.governance.spend.Pricing;
import dev.aigateway.provider.ChunkSink;
import dev.aigateway.provider.Provider;
import dev.aigateway.provider.ProviderRequest;
import dev.aigateway.server.ClientStreamSink;
import dev.aigateway.server.ErrorShape;
import dev.aigateway.server.LlmRoute;
import dev.aigateway.server.RequestContext;
import dev.aigateway.server.SseResponse;
import io.vertx.core.Future;

import java.util.Set;

import static dev.aigateway.server.RequestFields.bad;
import static dev.aigateway.server.RequestFields.number;
import static dev.aigateway.server.RequestFields.oneOf;
import static dev.aigateway.server.RequestFields.requiredText;
import static dev.aigateway.server.RequestFields.string;

/**
 * {@code POST /v1/audio/speech}: JSON in, the upstream's audio out as it comes (its content-type, with back-pressure:
 * a slow client pauses the upstream). Always a stream for the pipeline: failover happens only until an upstream accepts
 * the call. Billed per character of {@code input} ({@code input_cost_per_character}) once an upstream accepted it.
 */
public final class SpeechHandler {
    /** OpenAI's limit on {@code input}. */
    public static final int MAX_INPUT_CHARS = 4096;
    private static final Set<String> FORMATS = Set.of("mp3", "opus", "aac", "flac", "wav", "pcm");

    public static final LlmRoute ROUTE = new LlmRoute("speech", SpeechHandler::validate, (p, r) -> p.unsupported("speech without a stream"),
            LlmRoute.Answer.AS_IS, new Audio(), ErrorShape.OPENAI).metered(SpeechHandler::usage);

    private SpeechHandler() {}

    static ObjectNode validate(ObjectNode body) {
        requiredText(body, "input", MAX_INPUT_CHARS);
        JsonNode voice = body.get("voice");
        if (voice == null || voice.isNull()) throw bad("Missing required parameter: 'voice'.", "voice");
        if (!voice.isTextual() && !voice.isObject()) throw bad("Invalid type for 'voice': expected a string or an object.", "voice");
        oneOf(body, "response_format", FORMATS);
        oneOf(body, "stream_format", Set.of("audio", "sse"));
        number(body, "speed", 0.25, 4.0);
        string(body, "instructions");
        return body;
    }

    static JsonNode usage(ObjectNode request, ObjectNode result) {
        String input = request.path("input").asText();
        ObjectNode usage = Json.object();
        usage.putObject(Pricing.BILLED_UNITS).put("characters", input.codePointCount(0, input.length()));
        return usage;
    }

    /** Every speech request streams: the audio is passed through. */
    private static final class Audio implements LlmRoute.Streaming {
        @Override
        public boolean wanted(ObjectNode request) {
            return true;
        }

        @Override
        public ChunkSink sink(RequestContext ctx, ObjectNode streamed) {
            return new AudioSink(ctx, new SseResponse(ctx));
        }

        @Override
        public Future<Void> start(Provider provider, ProviderRequest request, ChunkSink sink) {
            return provider.speech(request, sink);
        }
    }

    /** The audio's bytes to the client as they came. */
    private static final class AudioSink extends ClientStreamSink {
        private final RequestContext ctx;

        AudioSink(RequestContext ctx, SseResponse out) {
            super(out);
            this.ctx = ctx;
        }

        @Override
        public void chunk(ObjectNode chunk) {
            // audio has no chunks to translate
        }

        @Override
        public void end() {
            out.end(null, 200, null);
        }

        /**
         * Audio has no error event: an answer cut off upstream must not look complete to the client, so its connection
         * is reset instead of the response ending.
         */
        @Override
        public void fail(GatewayException error) {
            out.end(() -> ctx.response().reset(), null, error.status(), error.type());
        }
    }
}
