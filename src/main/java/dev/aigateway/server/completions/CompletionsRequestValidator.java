package dev.aigateway.server.completions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.server.chat.ChatRequestValidator;

import static dev.aigateway.server.RequestFields.bad;
import static dev.aigateway.server.RequestFields.bool;
import static dev.aigateway.server.RequestFields.integer;
import static dev.aigateway.server.RequestFields.maxItems;
import static dev.aigateway.server.RequestFields.number;
import static dev.aigateway.server.RequestFields.string;

/**
 * Checks a legacy completions request the way OpenAI does, with every number and count bounded (a 400 naming the
 * field). The limits the two APIs share ({@code n}, output tokens, stop sequences) are the chat API's.
 */
public final class CompletionsRequestValidator {
    /** Prompts per request (an array of texts or of token arrays): as many as embeddings take. */
    public static final int MAX_PROMPTS = 2048;
    /** {@code best_of}: OpenAI's maximum. */
    public static final int MAX_BEST_OF = 20;
    /** {@code logprobs} (a count here, not a boolean as in chat): OpenAI's maximum. */
    public static final int MAX_LOGPROBS = 5;

    private CompletionsRequestValidator() {}

    public static ObjectNode validate(ObjectNode body) {
        prompt(body.get("prompt"));
        bool(body, "stream");
        bool(body, "echo");
        number(body, "temperature", 0, 2);
        number(body, "top_p", 0, 1);
        number(body, "presence_penalty", -2, 2);
        number(body, "frequency_penalty", -2, 2);
        integer(body, "n", 1, ChatRequestValidator.MAX_N);
        integer(body, "best_of", 1, MAX_BEST_OF);
        // Legacy completions accept 0 (with echo: the prompt's logprobs and nothing generated).
        integer(body, "max_tokens", 0, ChatRequestValidator.MAX_OUTPUT_TOKENS);
        integer(body, "logprobs", 0, MAX_LOGPROBS);
        integer(body, "seed", Long.MIN_VALUE, Long.MAX_VALUE);
        string(body, "suffix");
        string(body, "user");
        if (body.hasNonNull("best_of") && body.path("best_of").asLong() < body.path("n").asLong(1)) {
            throw bad("Invalid 'best_of': it must be at least 'n' (" + body.path("n").asLong() + ").", "best_of");
        }
        JsonNode stop = body.get("stop");
        if (stop != null && !stop.isNull() && !stop.isTextual()) {
            if (!stop.isArray()) throw bad("Invalid type for 'stop': expected a string or an array of strings.", "stop");
            maxItems(stop, "stop", ChatRequestValidator.MAX_STOP);
            for (JsonNode s : stop) if (!s.isTextual()) throw bad("Invalid type for 'stop': expected a string or an array of strings.", "stop");
        }
        JsonNode so = body.get("stream_options");
        if (so != null && !so.isNull() && !so.isObject()) throw bad("Invalid type for 'stream_options': expected an object.", "stream_options");
        return body;
    }

    /** A string, an array of strings, an array of tokens (integers), or an array of token arrays. */
    private static void prompt(JsonNode p) {
        if (p == null || p.isNull()) throw bad("Missing required parameter: 'prompt'.", "prompt");
        if (p.isTextual()) return;
        if (!p.isArray()) throw bad("Invalid type for 'prompt': expected a string, an array of strings or an array of tokens.", "prompt");
        if (p.isEmpty()) throw bad("'prompt' must not be empty.", "prompt");
        if (p.get(0).isIntegralNumber()) {
            for (JsonNode t : p) if (!t.isIntegralNumber()) throw bad("Invalid type for 'prompt': a token array holds integers only.", "prompt");
            return;
        }
        maxItems(p, "prompt", MAX_PROMPTS);
        for (JsonNode e : p) {
            if (!e.isTextual() && !e.isArray()) {
                throw bad("Invalid type for 'prompt': expected a string, an array of strings or an array of tokens.", "prompt");
            }
        }
    }
}
