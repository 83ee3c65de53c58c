-- Stored Responses-API responses (store: true): what previous_response_id continues and GET /v1/responses/{id} reads.
-- V7, not V6: V6 is left free for a migration on another line of work; Flyway applies them in version order.
-- key_hash binds a response to the key that created it (NULL when the gateway runs without authentication).
-- provider_state: the deployment's provider keeps the conversation itself (OpenAI/Azure natively), so a continuation
-- is pinned to deployment_id there. Items and the Response object are JSON text; times are epoch milliseconds.
CREATE TABLE responses (
    id                   VARCHAR(128) PRIMARY KEY,
    key_hash             VARCHAR(64),
    previous_response_id VARCHAR(128),
    deployment_id        VARCHAR(64),
    provider_state       BOOLEAN NOT NULL DEFAULT FALSE,
    model                VARCHAR(255),
    created_at           BIGINT NOT NULL,
    status               VARCHAR(32) NOT NULL,
    instructions         TEXT,
    input_items          TEXT NOT NULL,
    output_items         TEXT NOT NULL,
    response             TEXT NOT NULL,
    usage_json           TEXT
);
-- Retention deletes the oldest rows first, in chunks found through this index.
CREATE INDEX responses_created ON responses (created_at);
