-- Virtual keys: only the SHA-256 of a key is stored. JSON-valued fields are TEXT; times are epoch milliseconds.
CREATE TABLE virtual_keys (
    token_hash            VARCHAR(64) PRIMARY KEY,
    key_name              VARCHAR(64) NOT NULL,
    key_alias             VARCHAR(255) UNIQUE,
    spend                 DOUBLE PRECISION NOT NULL DEFAULT 0,
    max_budget            DOUBLE PRECISION,
    soft_budget           DOUBLE PRECISION,
    budget_duration       VARCHAR(16),
    budget_reset_at       BIGINT,
    models                TEXT NOT NULL DEFAULT '[]',
    model_max_budget      TEXT NOT NULL DEFAULT '{}',
    model_spend           TEXT NOT NULL DEFAULT '{}',
    rpm_limit             BIGINT,
    tpm_limit             BIGINT,
    max_parallel_requests BIGINT,
    model_rpm_limit       TEXT NOT NULL DEFAULT '{}',
    model_tpm_limit       TEXT NOT NULL DEFAULT '{}',
    expires_at            BIGINT,
    metadata              TEXT NOT NULL DEFAULT '{}',
    user_id               VARCHAR(255),
    team_id               VARCHAR(255),
    blocked               BOOLEAN NOT NULL DEFAULT FALSE,
    aliases               TEXT NOT NULL DEFAULT '{}',
    allowed_routes        TEXT NOT NULL DEFAULT '[]',
    key_type              VARCHAR(32) NOT NULL DEFAULT 'default',
    created_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL,
    created_by            VARCHAR(255)
);
CREATE INDEX virtual_keys_user ON virtual_keys (user_id);
CREATE INDEX virtual_keys_team ON virtual_keys (team_id);
CREATE INDEX virtual_keys_updated ON virtual_keys (updated_at);

-- Models added at run time (/model/new). litellm_params.api_key is stored encrypted (AES-GCM).
CREATE TABLE proxy_models (
    model_id       VARCHAR(64) PRIMARY KEY,
    model_name     VARCHAR(255) NOT NULL,
    litellm_params TEXT NOT NULL,
    model_info     TEXT NOT NULL DEFAULT '{}',
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX proxy_models_name ON proxy_models (model_name);

-- One row per request.
CREATE TABLE spend_logs (
    request_id        VARCHAR(128) PRIMARY KEY,
    key_hash          VARCHAR(64),
    key_alias         VARCHAR(255),
    user_id           VARCHAR(255),
    team_id           VARCHAR(255),
    call_type         VARCHAR(32) NOT NULL,
    model_group       VARCHAR(255),
    deployment_id     VARCHAR(64),
    provider          VARCHAR(32),
    model             VARCHAR(255),
    prompt_tokens     BIGINT NOT NULL DEFAULT 0,
    completion_tokens BIGINT NOT NULL DEFAULT 0,
    cached_tokens     BIGINT NOT NULL DEFAULT 0,
    total_tokens      BIGINT NOT NULL DEFAULT 0,
    cost              DOUBLE PRECISION NOT NULL DEFAULT 0,
    start_time        BIGINT NOT NULL,
    end_time          BIGINT NOT NULL,
    first_token_ms    BIGINT,
    status            VARCHAR(16) NOT NULL,
    http_status       INTEGER NOT NULL,
    error_type        VARCHAR(64),
    stream            BOOLEAN NOT NULL DEFAULT FALSE,
    attempts          INTEGER NOT NULL DEFAULT 1,
    fallback_model    VARCHAR(255)
);
CREATE INDEX spend_logs_start ON spend_logs (start_time);
CREATE INDEX spend_logs_key_start ON spend_logs (key_hash, start_time);
CREATE INDEX spend_logs_model_start ON spend_logs (model_group, start_time);

-- Per day, key and model: what the usage views read instead of scanning spend_logs.
CREATE TABLE daily_spend (
    day               VARCHAR(10) NOT NULL,
    key_hash          VARCHAR(64) NOT NULL,
    model_group       VARCHAR(255) NOT NULL,
    requests          BIGINT NOT NULL DEFAULT 0,
    failures          BIGINT NOT NULL DEFAULT 0,
    prompt_tokens     BIGINT NOT NULL DEFAULT 0,
    completion_tokens BIGINT NOT NULL DEFAULT 0,
    cost              DOUBLE PRECISION NOT NULL DEFAULT 0,
    PRIMARY KEY (day, key_hash, model_group)
);
