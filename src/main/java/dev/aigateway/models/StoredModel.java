package dev.aigateway.models;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;

/**
 * A runtime model as stored in {@code proxy_models}, with its credentials in plaintext (they are encrypted only
 * in the database; {@link ModelStore} does both directions). {@code litellmParams} keeps {@code os.environ/NAME}
 * references unresolved: they are resolved when the model is turned into a deployment.
 */
public record StoredModel(String id, String modelName, ObjectNode litellmParams, ObjectNode modelInfo,
                          Instant createdAt, Instant updatedAt) {

    @Override
    public String toString() {
        return "StoredModel[" + id + " " + modelName + "]"; // never the params: they hold credentials
    }
}
