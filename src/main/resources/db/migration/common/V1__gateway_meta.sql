-- Facts about this installation (schema creation time, salt-key check value).
CREATE TABLE gateway_meta (
    name  VARCHAR(100) PRIMARY KEY,
    value TEXT NOT NULL
);
