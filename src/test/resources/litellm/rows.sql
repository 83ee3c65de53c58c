-- A small LiteLLM proxy's data: what its UI and API would have written. Keys are stored as LiteLLM stores them, the
-- SHA-256 hex of the key; models are inserted by the test (their litellm_params are encrypted under the salt key).
INSERT INTO "LiteLLM_BudgetTable" (budget_id, max_budget, soft_budget, rpm_limit, tpm_limit, budget_duration, model_max_budget, created_by, updated_by)
VALUES ('budget-basic', 100, 80, 50, 50000, '30d', '{}', 'admin', 'admin'),
       ('budget-member', 10, NULL, NULL, NULL, '1d', NULL, 'admin', 'admin');

INSERT INTO "LiteLLM_OrganizationTable" (organization_id, organization_alias, budget_id, models, spend, metadata, created_by, updated_by)
VALUES ('org-acme', 'Acme', 'budget-basic', ARRAY['mock', 'imported-gpt'], 3.5, '{"region": "eu"}', 'admin', 'admin');

INSERT INTO "LiteLLM_TeamTable" (team_id, team_alias, organization_id, members_with_roles, metadata, max_budget, spend, models, rpm_limit, budget_duration)
VALUES ('team-eng', 'Engineering', 'org-acme',
        '[{"role": "admin", "user_id": "alice", "user_email": "alice@example.com"}, {"role": "user", "user_id": "bob"}, {"role": "user", "user_id": null, "user_email": "nobody@example.com"}]',
        '{"team_member_budget_id": "budget-member"}', 500, 1.25, ARRAY['mock', 'imported-gpt'], 600, '30d');

INSERT INTO "LiteLLM_UserTable" (user_id, user_alias, user_email, user_role, organization_id, spend, models, max_budget, password)
VALUES ('alice', 'Alice', 'alice@example.com', 'proxy_admin', 'org-acme', 1.0, ARRAY[]::TEXT[], 200, 'hashed-password-not-imported'),
       ('bob', NULL, 'bob@example.com', 'internal_user', NULL, 0, ARRAY['mock'], NULL, NULL);

INSERT INTO "LiteLLM_TeamMembership" (user_id, team_id, spend, budget_id)
VALUES ('alice', 'team-eng', 0.75, 'budget-member'),
       ('carol', 'team-eng', 0.1, NULL);

INSERT INTO "LiteLLM_OrganizationMembership" (user_id, organization_id, user_role, spend, budget_id)
VALUES ('alice', 'org-acme', 'org_admin', 0.5, NULL);

INSERT INTO "LiteLLM_EndUserTable" (user_id, alias, spend, budget_id, allowed_model_region, blocked)
VALUES ('customer-1', 'Customer One', 0.2, 'budget-member', 'eu', false);

INSERT INTO "LiteLLM_VerificationToken" (token, key_name, key_alias, spend, expires, models, aliases, user_id, team_id,
        max_parallel_requests, metadata, blocked, tpm_limit, rpm_limit, max_budget, budget_duration, budget_reset_at,
        allowed_routes, model_spend, model_max_budget, budget_id, organization_id, created_at, created_by)
VALUES (encode(sha256(convert_to('sk-litellm-alice-0123456789abcdef', 'UTF8')), 'hex'), 'sk-...cdef', 'alice-key', 1.5, NULL,
        ARRAY[]::TEXT[], '{"fast": "mock"}', 'alice', 'team-eng', 10,
        '{"model_rpm_limit": {"mock": 100}, "model_tpm_limit": {"mock": 100000}, "owner": "platform"}', NULL, 1000000, 1000,
        100, '30d', '2099-01-01 00:00:00', ARRAY[]::TEXT[], '{"mock": 1.5}', '{"mock": {"budget_limit": 50, "time_period": "30d"}}',
        'budget-basic', 'org-acme', '2026-01-02 03:04:05.678', 'alice'),
       (encode(sha256(convert_to('sk-litellm-bob-0123456789abcdef00', 'UTF8')), 'hex'), 'sk-...ef00', 'bob-key', 0, '2099-06-30 12:00:00',
        ARRAY['mock'], '{}', 'bob', 'team-eng', NULL, '{}', true, NULL, NULL, NULL, NULL, NULL, ARRAY['llm_api_routes'], '{}', '{}',
        NULL, NULL, '2026-02-01 00:00:00', 'admin'),
       (encode(sha256(convert_to('sk-litellm-plain-0123456789abcdef', 'UTF8')), 'hex'), NULL, NULL, 0.25, NULL,
        ARRAY[]::TEXT[], '{}', NULL, NULL, NULL, '{}', false, NULL, NULL, NULL, NULL, NULL, ARRAY[]::TEXT[], '{}', '{}',
        NULL, NULL, NULL, NULL);

INSERT INTO "LiteLLM_SpendLogs" (request_id, call_type, api_key, spend, total_tokens, prompt_tokens, completion_tokens,
        "startTime", "endTime", "completionStartTime", model, model_id, model_group, custom_llm_provider, "user", metadata,
        team_id, organization_id, end_user, session_id, status)
VALUES ('chatcmpl-litellm-1', 'acompletion', encode(sha256(convert_to('sk-litellm-alice-0123456789abcdef', 'UTF8')), 'hex'), 0.5,
        15, 10, 5, '2026-01-05 10:00:00', '2026-01-05 10:00:02', '2026-01-05 10:00:01', 'gpt-4o-mini', 'dep-1', 'mock', 'openai',
        'alice', '{"user_api_key_alias": "alice-key", "usage_object": {"prompt_tokens_details": {"cached_tokens": 4}}}',
        'team-eng', 'org-acme', 'customer-1', 'sess-1', 'success'),
       ('chatcmpl-litellm-2', 'acompletion', encode(sha256(convert_to('sk-litellm-alice-0123456789abcdef', 'UTF8')), 'hex'), 0,
        0, 0, 0, '2026-01-05 11:00:00', '2026-01-05 11:00:01', NULL, 'gpt-4o-mini', 'dep-1', 'mock', 'openai',
        'alice', '{"error_information": {"error_code": "429", "error_class": "RateLimitError"}}',
        'team-eng', 'org-acme', NULL, NULL, 'failure'),
       ('embd-litellm-3', 'aembedding', encode(sha256(convert_to('sk-litellm-bob-0123456789abcdef00', 'UTF8')), 'hex'), 1.0,
        8, 8, 0, '2026-01-06 09:30:00', '2026-01-06 09:30:00.250', NULL, 'text-embedding-3-small', '', 'embed', 'openai',
        'bob', '{}', 'team-eng', NULL, NULL, NULL, 'success');
