-- Tenancy, LiteLLM's model: organizations -> teams -> users -> keys, and end users (LiteLLM's "customers") named per
-- request. Budgets are named sets of limits that organizations, team memberships, end users and keys reference by
-- budget_id; teams and users carry their limits inline, as in LiteLLM. Each holder keeps its own spend and its own
-- budget window (budget_reset_at), even when several share one named budget. Times are epoch milliseconds; JSON-valued
-- fields are TEXT.
CREATE TABLE budgets (
    budget_id             VARCHAR(255) PRIMARY KEY,
    max_budget            DOUBLE PRECISION,
    soft_budget           DOUBLE PRECISION,
    max_parallel_requests BIGINT,
    tpm_limit             BIGINT,
    rpm_limit             BIGINT,
    model_max_budget      TEXT NOT NULL DEFAULT '{}',
    budget_duration       VARCHAR(16),
    created_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL,
    created_by            VARCHAR(255),
    updated_by            VARCHAR(255)
);

CREATE TABLE organizations (
    organization_id    VARCHAR(255) PRIMARY KEY,
    organization_alias VARCHAR(255),
    budget_id          VARCHAR(255),
    models             TEXT NOT NULL DEFAULT '[]',
    metadata           TEXT NOT NULL DEFAULT '{}',
    spend              DOUBLE PRECISION NOT NULL DEFAULT 0,
    model_spend        TEXT NOT NULL DEFAULT '{}',
    budget_reset_at    BIGINT,
    blocked            BOOLEAN NOT NULL DEFAULT FALSE,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    created_by         VARCHAR(255),
    updated_by         VARCHAR(255)
);

CREATE TABLE teams (
    team_id               VARCHAR(255) PRIMARY KEY,
    team_alias            VARCHAR(255),
    organization_id       VARCHAR(255),
    models                TEXT NOT NULL DEFAULT '[]',
    metadata              TEXT NOT NULL DEFAULT '{}',
    max_budget            DOUBLE PRECISION,
    soft_budget           DOUBLE PRECISION,
    budget_duration       VARCHAR(16),
    budget_reset_at       BIGINT,
    rpm_limit             BIGINT,
    tpm_limit             BIGINT,
    max_parallel_requests BIGINT,
    model_max_budget      TEXT NOT NULL DEFAULT '{}',
    spend                 DOUBLE PRECISION NOT NULL DEFAULT 0,
    model_spend           TEXT NOT NULL DEFAULT '{}',
    -- the named budget every member gets inside this team unless their membership names another (LiteLLM's
    -- team_member_budget)
    member_budget_id      VARCHAR(255),
    blocked               BOOLEAN NOT NULL DEFAULT FALSE,
    created_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL,
    created_by            VARCHAR(255),
    updated_by            VARCHAR(255)
);
CREATE INDEX teams_organization ON teams (organization_id);

CREATE TABLE users (
    user_id               VARCHAR(255) PRIMARY KEY,
    user_alias            VARCHAR(255),
    user_email            VARCHAR(255),
    user_role             VARCHAR(32) NOT NULL DEFAULT 'internal_user',
    organization_id       VARCHAR(255),
    models                TEXT NOT NULL DEFAULT '[]',
    metadata              TEXT NOT NULL DEFAULT '{}',
    max_budget            DOUBLE PRECISION,
    soft_budget           DOUBLE PRECISION,
    budget_duration       VARCHAR(16),
    budget_reset_at       BIGINT,
    rpm_limit             BIGINT,
    tpm_limit             BIGINT,
    max_parallel_requests BIGINT,
    model_max_budget      TEXT NOT NULL DEFAULT '{}',
    spend                 DOUBLE PRECISION NOT NULL DEFAULT 0,
    model_spend           TEXT NOT NULL DEFAULT '{}',
    sso_user_id           VARCHAR(255),
    created_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL,
    created_by            VARCHAR(255)
);
CREATE INDEX users_email ON users (user_email);
CREATE INDEX users_organization ON users (organization_id);

-- A user's place in a team: their role there ('admin' manages the team's keys and members, 'user' uses it) and the
-- budget they may spend inside it.
CREATE TABLE team_members (
    team_id         VARCHAR(255) NOT NULL,
    user_id         VARCHAR(255) NOT NULL,
    role            VARCHAR(16) NOT NULL DEFAULT 'user',
    budget_id       VARCHAR(255),
    spend           DOUBLE PRECISION NOT NULL DEFAULT 0,
    budget_reset_at BIGINT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user ON team_members (user_id);

CREATE TABLE organization_members (
    organization_id VARCHAR(255) NOT NULL,
    user_id         VARCHAR(255) NOT NULL,
    user_role       VARCHAR(32),
    budget_id       VARCHAR(255),
    spend           DOUBLE PRECISION NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    PRIMARY KEY (organization_id, user_id)
);
CREATE INDEX organization_members_user ON organization_members (user_id);

-- End users of the caller's application (LiteLLM's customers): named per request by x-litellm-customer-id,
-- x-litellm-end-user-id or the body's user field.
CREATE TABLE end_users (
    user_id              VARCHAR(255) PRIMARY KEY,
    alias                VARCHAR(255),
    budget_id            VARCHAR(255),
    allowed_model_region VARCHAR(16),
    default_model        VARCHAR(255),
    blocked              BOOLEAN NOT NULL DEFAULT FALSE,
    spend                DOUBLE PRECISION NOT NULL DEFAULT 0,
    budget_reset_at      BIGINT,
    created_at           BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL
);

-- Keys may belong to an organization directly and reference a named budget, as in LiteLLM.
ALTER TABLE virtual_keys ADD COLUMN organization_id VARCHAR(255);
ALTER TABLE virtual_keys ADD COLUMN budget_id VARCHAR(255);

-- Spend rows name the organization too, so that its usage can be read without joining keys that may be gone.
ALTER TABLE spend_logs ADD COLUMN organization_id VARCHAR(255);
