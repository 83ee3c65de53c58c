package dev.aigateway.governance.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.governance.Principal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Clock;

/**
 * What {@code POST /v1/responses} asks of the stored responses, asynchronously: the database work runs on a worker
 * thread and the returned future completes on the caller's context (the request's event loop).
 * <ol>
 *   <li>before routing, {@link #expandInput}: the conversation so far (the chain of {@code previous_response_id}),
 *       followed by the new input, as items; and the deployment the previous response is pinned to, if its provider
 *       keeps the state itself;</li>
 *   <li>once the Response object is complete and before its last bytes go out (the JSON answer, or the stream's
 *       {@code response.completed} event), {@link #remember}: when it completes the row is durable, so any instance
 *       on the same database can continue or read the response at once.</li>
 * </ol>
 * One instance serves every event loop.
 */
public final class ResponseState {
    private final ResponseStore store;
    private final Vertx vertx;
    private final Clock clock;

    public ResponseState(ResponseStore store, Vertx vertx, Clock clock) {
        this.store = store;
        this.vertx = vertx;
        this.clock = clock;
    }

    /**
     * A request's input with the conversation before it.
     *
     * @param input              this request's own input as items (each with an id): what {@link #remember} stores
     * @param conversation       the earlier turns' items, oldest first, then {@code input}: what a bridged attempt
     *                           (a provider without server state) translates into chat messages
     * @param pinnedDeploymentId the previous response's deployment when its provider keeps the conversation (send it
     *                           the client's {@code previous_response_id} and {@code input} unchanged there), else null
     */
    public record Expanded(ArrayNode input, ArrayNode conversation, String pinnedDeploymentId) {}

    /**
     * Expands {@code input} (a string or items) after the conversation {@code previousResponseId} ends (null: none; then
     * nothing is read and the future is already complete). Fails with the gateway's errors: 404 unknown previous
     * response, 403 another key's, 400/413 a conversation longer than the gateway carries ({@link ResponseStore}).
     */
    public Future<Expanded> expandInput(String previousResponseId, Principal caller, JsonNode input) {
        ArrayNode own;
        try {
            own = ResponseItems.of(input);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        if (previousResponseId == null) return Future.succeededFuture(new Expanded(own, own.deepCopy(), null));
        return vertx.executeBlocking(() -> {
            ResponseStore.Conversation before = store.conversation(previousResponseId, caller);
            ArrayNode all = before.items();
            all.addAll(own.deepCopy());
            return new Expanded(own, all, before.pinnedDeploymentId());
        }, false);
    }

    /**
     * The client's Responses request as an attempt that cannot use {@code previous_response_id} is sent it: a copy whose
     * {@code input} is the whole conversation and without {@code previous_response_id} (a bridged provider's
     * translation, or an OpenAI-wire deployment other than the one the previous response is pinned to). The client's
     * tree is not changed.
     */
    public static ObjectNode withConversation(ObjectNode clientBody, Expanded expanded) {
        ObjectNode out = clientBody.deepCopy();
        out.remove("previous_response_id");
        out.set("input", expanded.conversation().deepCopy());
        return out;
    }

    /**
     * Stores a finished (or failed, or incomplete) response of a request sent with {@code store} true (OpenAI's default).
     * Completes once the row is written; fails with 413 when it is larger than {@link ResponseStore#MAX_STORED_CHARS}.
     *
     * @param caller             who created it: only that key may read or continue it
     * @param previousResponseId the request's {@code previous_response_id}, or null
     * @param deploymentId       the deployment that answered
     * @param providerKeepsState the deployment's provider stored it too (a native OpenAI/Azure call): continuations of
     *                           this response are pinned there
     * @param expanded           what {@link #expandInput} gave for this request (its {@code input} is stored)
     * @param instructions       the request's {@code instructions}, or null
     * @param response           the Response object as the client receives it (id, model, status, output, usage)
     */
    public Future<Void> remember(Principal caller, String previousResponseId, String deploymentId, boolean providerKeepsState,
                                 Expanded expanded, JsonNode instructions, ObjectNode response) {
        String id = response.path("id").asText(null);
        if (!ResponseStore.validId(id)) {
            // the Response object is the gateway's or its provider's: one without a usable id is a bug, never the client's
            return Future.failedFuture(GatewayException.serverError("The response has no id it could be stored under."));
        }
        StoredResponse row = new StoredResponse(id, caller.keyHash(), previousResponseId, deploymentId,
                providerKeepsState, response.path("model").asText(null), clock.instant(), response.path("status").asText("completed"),
                instructions, expanded.input(), ResponseItems.output(response), response, response.get("usage"));
        return vertx.executeBlocking(() -> {
            store.save(row);
            return null;
        }, false);
    }
}
