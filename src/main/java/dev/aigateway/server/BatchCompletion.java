package dev.aigateway.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.List;

/**
 * LiteLLM's batch completion: a {@code /chat/completions} request whose {@code model} lists several models
 * ({@code "gpt-4o,claude-3"}) is sent to each of them at once. Each model's call is a request of its own (routing, the
 * key's permissions, admission, failover, a spend row), made from the client's one body. The answer is, as LiteLLM's:
 * <ul>
 *   <li>by default, the list of every model's answer in the order named (a model that failed has its error object in
 *       its place; when all failed, the first one's error is the answer);</li>
 *   <li>with {@code fastest_response: true}, the first answer to arrive (header
 *       {@code x-litellm-fastest_response_batch_completion: true}); the others make no further attempt, and a call
 *       already in flight finishes and is billed, since its provider bills it either way.</li>
 * </ul>
 * Streams are not batched (LiteLLM's list of streams has no HTTP form): such a request is refused.
 */
final class BatchCompletion {
    /** Models one request may list: each is a full request's worth of upstream calls. */
    static final int MAX_MODELS = 10;
    static final String FASTEST_HEADER = "x-litellm-fastest_response_batch_completion";

    private BatchCompletion() {}

    /** The models a comma-separated {@code model} lists, or null when it names one (or is not a string). */
    static List<String> models(ObjectNode body) {
        JsonNode m = body.get("model");
        if (m == null || !m.isTextual()) return null;
        String text = m.asText();
        int commas = 0;
        for (int i = 0; i < text.length(); i++) if (text.charAt(i) == ',') commas++;
        if (commas == 0) return null;
        if (commas >= MAX_MODELS) {
            throw GatewayException.badRequest("'model' lists " + (commas + 1) + " models; at most " + MAX_MODELS + " may be batched.", "model");
        }
        List<String> out = new ArrayList<>(commas + 1);
        for (String s : text.split(",", -1)) {
            String name = s.strip();
            if (name.isEmpty()) throw GatewayException.badRequest("'model' lists an empty model name.", "model");
            out.add(name);
        }
        return out;
    }

    /** Sends {@code body} to each of {@code models} and answers {@code ctx} (see the class comment). */
    static Future<Void> run(RequestPipeline pipeline, RequestContext ctx, LlmRoute route, ObjectNode body, List<String> models) {
        RequestFields.bool(body, "fastest_response");
        boolean fastest = body.path("fastest_response").asBoolean(false);
        body.remove("fastest_response");
        if (body.path("stream").asBoolean(false)) {
            throw GatewayException.badRequest("Streaming is not supported when 'model' lists several models.", "stream");
        }
        ctx.fannedOut = true;
        List<RequestContext> calls = new ArrayList<>(models.size());
        List<Future<ObjectNode>> answers = new ArrayList<>(models.size());
        for (String model : models) {
            RequestContext call = pipeline.child(ctx);
            ObjectNode one = Json.object();
            one.setAll(body); // shallow: routing takes fields out of this copy only; providers never mutate a body
            one.put("model", model);
            Future<ObjectNode> answer;
            try {
                answer = pipeline.call(call, one, route.call()).map(result -> route.answer().answer(call, one, result));
            } catch (RuntimeException e) { // routing refused it (unknown model, not allowed)
                answer = Future.failedFuture(e);
            }
            answer.onComplete(ar -> end(call, ar.succeeded() ? null : Responses.asGatewayException(call, ar.cause())));
            calls.add(call);
            answers.add(answer);
        }
        pipeline.onClientLeft(ctx, () -> calls.forEach(c -> c.clientGone = true)); // no new attempt; calls in flight finish
        if (fastest) {
            Promise<Integer> first = Promise.promise();
            for (int i = 0; i < answers.size(); i++) {
                int index = i;
                answers.get(i).onSuccess(r -> first.tryComplete(index));
            }
            Future.join(answers).onComplete(ar -> first.tryFail(answers.get(0).cause())); // none answered
            return first.future().map(index -> {
                calls.forEach(c -> c.clientGone = true); // the others stop at their next attempt
                ctx.attempting(calls.get(index).deployment());
                ctx.charge = RequestAccounting.Charge.sum(List.of(calls.get(index))); // the x-litellm-response-cost of the answer sent
                Responses.header(ctx, FASTEST_HEADER, "true");
                Responses.json(ctx, 200, answers.get(index).result());
                return null;
            });
        }
        return Future.join(answers).transform(ar -> {
            if (answers.stream().noneMatch(Future::succeeded)) return Future.failedFuture(answers.get(0).cause());
            ctx.charge = RequestAccounting.Charge.sum(calls); // every model's cost, for the x-litellm-response-cost header
            ArrayNode out = Json.array();
            for (int i = 0; i < answers.size(); i++) {
                Future<ObjectNode> a = answers.get(i);
                out.add(a.succeeded() ? a.result() : Responses.asGatewayException(calls.get(i), a.cause()).toJson());
            }
            Responses.send(ctx, 200, "application/json", Json.toBuffer(out));
            return Future.succeededFuture();
        });
    }

    /** One model's call ended: settled, then finished (its spend row), as an answered request is. */
    private static void end(RequestContext call, GatewayException failure) {
        call.settleThen(() -> {
            if (failure == null) call.finish(200, null);
            else call.finish(failure.status(), failure.type());
        });
    }
}
