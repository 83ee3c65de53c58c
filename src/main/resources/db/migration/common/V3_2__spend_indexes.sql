-- /spend/logs?user_id=... (LiteLLM's filter): without this, a user with few rows makes the query walk the
-- whole start_time index at 10 million rows.
CREATE INDEX spend_logs_user_start ON spend_logs (user_id, start_time);
-- /spend/daily?api_key=... over a long range: daily_spend's primary key leads with the day.
CREATE INDEX daily_spend_key_day ON daily_spend (key_hash, day);
