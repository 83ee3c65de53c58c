package dev.aigateway.governance.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;

/**
 * One stored Responses-API response: a row of the {@code responses} table.
 *
 * @param id                 {@code resp_...}, the Response object's own id
 * @param keyHash            SHA-256 of the key that created it (only that key reads it; null without authentication)
 * @param previousResponseId the response it continued, or null: {@link ResponseStore#conversation} walks these links
 * @param deploymentId       the deployment that answered
 * @param providerState      that deployment's provider keeps the conversation itself (OpenAI and Azure natively): a
 *                           continuation there is sent {@code previous_response_id} and pinned to the deployment
 * @param model              the Response object's model
 * @param createdAt          when it was stored (retention counts from here)
 * @param status             the Response object's status ({@code completed}, {@code incomplete}, {@code failed}...)
 * @param instructions       the request's {@code instructions}, or null; not carried into a continuation (as OpenAI)
 * @param inputItems         the request's own {@code input} as items, each with an id (not the earlier turns)
 * @param outputItems        the Response object's {@code output}
 * @param response           the whole Response object, as GET /v1/responses/{id} answers it
 * @param usage              the Response object's {@code usage}, or null
 */
public record StoredResponse(String id, String keyHash, String previousResponseId, String deploymentId, boolean providerState,
                             String model, Instant createdAt, String status, JsonNode instructions, ArrayNode inputItems,
                             ArrayNode outputItems, ObjectNode response, JsonNode usage) {
}
