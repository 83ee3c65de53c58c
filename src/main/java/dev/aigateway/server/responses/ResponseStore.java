package dev.aigateway.server.responses;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where a Response the gateway wrote itself (a translated attempt) goes once it is complete, streamed or not: the
 * seam for stored responses ({@code store}, {@code previous_response_id}). Responses passed through from a deployment
 * that speaks the API are stored by that upstream, not here.
 */
@FunctionalInterface
public interface ResponseStore {

    /**
     * @param request  the client's Responses request
     * @param response the completed (or incomplete) Response it was answered with
     */
    void completed(ObjectNode request, ObjectNode response);

    /** Keeps nothing. */
    ResponseStore NONE = (request, response) -> {};
}
