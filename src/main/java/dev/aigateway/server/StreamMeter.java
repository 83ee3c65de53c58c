package dev.aigateway.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.governance.spend.CostEstimator;
import dev.aigateway.provider.ChunkSink;
import io.vertx.core.Vertx;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.util.BitSet;

/**
 * Sits between a provider's stream and the client's writer: passes the chunks on and keeps what accounting needs
 * when a stream ends without the provider's usage (the client left before the usage chunk, or the upstream
 * broke): the text generated so far, so that the tokens the client received are charged as an estimate instead of
 * nothing ({@link #estimatedUsage}).
 *
 * <p>When the client leaves after every answer has finished but before the usage chunk (which OpenAI sends last),
 * the request is settled at once with the estimate (a client that sends its next request right away must not find
 * this one's hold), and the rest of the upstream is still read, bounded by {@link #DRAIN_MS} and {@link #DRAIN_BYTES},
 * so the real usage is booked in its place; the bytes go nowhere. When it leaves mid-answer, the upstream is cancelled at once (the provider stops
 * generating, which is cheaper than reading on) and the estimate is charged.
 *
 * <p>Cost on the hot path: one StringBuilder append per delta; the text is only tokenized when an estimate is
 * needed (or in blocks of {@link #TEXT_BLOCK} characters for very long answers, to bound memory). Event-loop confined.
 */
final class StreamMeter implements ChunkSink {
    /** After the client left, the longest the upstream is read on for its usage. */
    static final long DRAIN_MS = 5_000;
    /** After the client left, the most (serialized chunk) bytes read on for the usage. */
    static final long DRAIN_BYTES = 64 * 1024;
    /** Generated text kept uncounted; a longer answer is counted in blocks of this size as it comes. */
    private static final int TEXT_BLOCK = 64 * 1024;

    private final RequestContext ctx;
    private final ChunkSink next;
    private final ObjectNode body;
    private final Vertx vertx;
    private final StringBuilder text = new StringBuilder(256);
    private long countedTokens;
    private boolean sawChunk;
    /** How many answers the request asked for ({@code n}): the stream is complete when all of them finished. */
    private final int expectedAnswers;
    private final BitSet answers = new BitSet();
    private final BitSet finished = new BitSet();
    private boolean draining;
    private long drainBytes;
    private long drainTimer = -1;
    /** The upstream's count of the prompt, when it sent one before the answer. */
    private ObjectNode promptUsage;

    StreamMeter(RequestContext ctx, ChunkSink next, ObjectNode body, Vertx vertx) {
        this.ctx = ctx;
        this.next = next;
        this.body = body;
        this.vertx = vertx;
        this.expectedAnswers = Math.max(1, body.path("n").asInt(1));
    }

    @Override
    public void chunk(ObjectNode chunk) {
        sawChunk = true;
        JsonNode u = chunk.get("usage");
        if (u != null && u.isObject()) ctx.usage(u);
        for (JsonNode choice : chunk.path("choices")) {
            int index = choice.path("index").asInt(0);
            if (index >= 0 && index < 4096) answers.set(index);
            JsonNode delta = choice.path("delta");
            append(delta.get("content"));
            append(delta.get("reasoning_content"));
            append(delta.get("refusal"));
            for (JsonNode call : delta.path("tool_calls")) {
                append(call.path("function").get("name"));
                append(call.path("function").get("arguments"));
            }
            if (choice.hasNonNull("finish_reason") && index >= 0 && index < 4096) finished.set(index);
        }
        if (draining) {
            drainBytes += Json.toBytes(chunk).length;
            if (ctx.usage() != null || drainBytes > DRAIN_BYTES) stopDraining(true);
            return;
        }
        if (!ctx.clientGone) next.chunk(chunk);
    }

    @Override
    public void promptUsage(ObjectNode usage) {
        promptUsage = usage;
    }

    @Override
    public void upstreamHeaders(MultiMap headers) {
        next.upstreamHeaders(headers);
    }

    /**
     * A pass-through stream's event: the meter learns from the metering chunks its provider sends beside it
     * ({@link #chunk}, not forwarded to the client by pass-through sinks); the bytes go on as they are.
     */
    @Override
    public void passThrough(Buffer event, boolean last) {
        sawChunk = true;
        if (draining) {
            drainBytes += event.length();
            if (drainBytes > DRAIN_BYTES) stopDraining(true);
            return;
        }
        if (!ctx.clientGone) next.passThrough(event, last);
    }

    private void append(JsonNode v) {
        if (v == null || !v.isTextual()) return;
        text.append(v.asText());
        if (text.length() >= TEXT_BLOCK) {
            countedTokens += CostEstimator.textTokens(text.toString());
            text.setLength(0);
        }
    }

    @Override
    public void end() {
        if (draining) stopDraining(false);
        else next.end();
    }

    @Override
    public void fail(GatewayException error) {
        if (draining) stopDraining(false);
        else next.fail(error);
    }

    @Override
    public boolean writeQueueFull() {
        return !draining && next.writeQueueFull();
    }

    @Override
    public void drainHandler(Runnable onDrain) {
        next.drainHandler(onDrain);
    }

    /**
     * The client left mid-stream. Returns true when the upstream is read on for its usage (every answer finished,
     * usage not seen yet): the request then ends when the usage comes, the upstream ends, or a bound is reached.
     * Returns false when the caller should cancel the upstream and end the request now.
     */
    boolean clientLeft() {
        if (ctx.usage() != null || !answersFinished()) return false;
        draining = true;
        drainTimer = vertx.setTimer(DRAIN_MS, t -> stopDraining(true));
        // the client has all it will get: release the hold now (charging the estimate), correct it if the usage comes
        ctx.settle();
        return true;
    }

    private void stopDraining(boolean cancelUpstream) {
        if (!draining) return;
        draining = false;
        vertx.cancelTimer(drainTimer);
        if (cancelUpstream) ctx.cancel().cancel();
        ctx.finish(499, "client_closed_request");
    }

    private boolean answersFinished() {
        if (answers.cardinality() < expectedAnswers) return false;
        BitSet open = (BitSet) answers.clone();
        open.andNot(finished);
        return open.isEmpty();
    }

    /** Whether the provider sent anything: it then has read the prompt, and what it generated reached us. */
    boolean sawChunk() {
        return sawChunk;
    }

    /**
     * Usage for a stream that ended without the provider's: the prompt as the provider counted it before the answer
     * (with its cache reads and writes, priced exactly) or else as the budget counted it (o200k), and the tokens of the
     * text streamed so far (answers, reasoning, tool calls).
     */
    ObjectNode estimatedUsage() {
        long completion = countedTokens + (text.isEmpty() ? 0 : CostEstimator.textTokens(text.toString()));
        if (promptUsage != null) {
            ObjectNode u = promptUsage.deepCopy();
            long prompt = u.path("prompt_tokens").asLong();
            return u.put("completion_tokens", completion).put("total_tokens", prompt + completion);
        }
        long prompt = ctx.budgetPromptTokens >= 0 ? ctx.budgetPromptTokens : CostEstimator.billedPromptTokens(body);
        return Json.object().put("prompt_tokens", prompt).put("completion_tokens", completion).put("total_tokens", prompt + completion);
    }
}
