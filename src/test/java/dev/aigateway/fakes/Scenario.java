package dev.aigateway.fakes;

/**
 * What a provider fake does with the next requests. Every fake renders each scenario in its own
 * provider's exact wire format (bodies, SSE/NDJSON framing, error bodies).
 */
public sealed interface Scenario {

    /** A normal answer with this text (streamed word by word when the request streams). */
    record Text(String text) implements Scenario {}

    /** A tool call with these JSON arguments (streamed in pieces when the request streams). */
    record ToolCall(String name, String argumentsJson) implements Scenario {}

    /**
     * The provider's real error for this HTTP status (e.g. Anthropic 529 overloaded_error, OpenAI 429
     * rate_limit_exceeded). {@code kind} picks a variant where a status has several, e.g.
     * "context_length" for a 400 whose message says the prompt is too long; "echo_key" for an error whose message
     * repeats the credential the request carried (as providers do for a rejected key); null for the plain one.
     */
    record Error(int status, String kind) implements Scenario {
        public Error(int status) { this(status, null); }
    }

    /** A stream that sends {@code chunks} content events, then drops the connection without the proper end. */
    record CutStream(int chunks) implements Scenario {}

    /** Accepts the request and never answers (for timeouts and client-disconnect tests). */
    record Hang() implements Scenario {}

    /** Like Text, but waits {@code gapMs} between streamed events. */
    record SlowStream(String text, long gapMs) implements Scenario {}
}
