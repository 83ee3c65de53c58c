-- The gateway now always makes a spend row's request_id itself (one row per request, even when clients
-- reuse an x-request-id); the client's own id is kept here for tracing. Partial index: only rows whose client
-- sent an id have an entry, and /spend/logs?request_id= looks it up with client_request_id = ?, which
-- implies IS NOT NULL on both databases. Older rows keep the client's id in request_id, where that filter
-- finds them too.
ALTER TABLE spend_logs ADD COLUMN client_request_id VARCHAR(128);
CREATE INDEX spend_logs_client_request ON spend_logs (client_request_id) WHERE client_request_id IS NOT NULL;
