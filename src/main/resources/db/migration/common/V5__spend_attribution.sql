-- Who used what: the end user (LiteLLM's customer, from x-litellm-end-user-id / x-litellm-customer-id or the body's
-- user / metadata.user_id), the calling tool's session (Claude Code's x-claude-code-session-id, Codex's session_id),
-- the tool's class from its User-Agent (claude-code, codex, openai-sdk... a fixed set) and the User-Agent itself
-- (cleaned, at most 256 characters). Older rows keep NULLs.
ALTER TABLE spend_logs ADD COLUMN end_user VARCHAR(255);
ALTER TABLE spend_logs ADD COLUMN session_id VARCHAR(128);
ALTER TABLE spend_logs ADD COLUMN client VARCHAR(32);
ALTER TABLE spend_logs ADD COLUMN user_agent VARCHAR(256);
-- /spend/logs?end_user=...: partial, so rows without an end user (most, without a customer header) cost no index entry.
CREATE INDEX spend_logs_end_user_start ON spend_logs (end_user, start_time) WHERE end_user IS NOT NULL;

-- Per day, key and calling tool: what the usage page's "by tool" reads (the tool set is small, so is this table).
CREATE TABLE daily_client_spend (
    day               VARCHAR(10) NOT NULL,
    key_hash          VARCHAR(64) NOT NULL,
    client            VARCHAR(32) NOT NULL,
    requests          BIGINT NOT NULL DEFAULT 0,
    failures          BIGINT NOT NULL DEFAULT 0,
    prompt_tokens     BIGINT NOT NULL DEFAULT 0,
    completion_tokens BIGINT NOT NULL DEFAULT 0,
    cost              DOUBLE PRECISION NOT NULL DEFAULT 0,
    PRIMARY KEY (day, key_hash, client)
);
-- Days booked before tools were recorded count as 'unknown', so "by tool" adds up to the same totals as "by key".
INSERT INTO daily_client_spend (day, key_hash, client, requests, failures, prompt_tokens, completion_tokens, cost)
SELECT day, key_hash, 'unknown', SUM(requests), SUM(failures), SUM(prompt_tokens), SUM(completion_tokens), SUM(cost)
FROM daily_spend GROUP BY day, key_hash;
