package dev.aigateway.governance.spend;

import dev.aigateway.store.Database;

import java.nio.file.Path;

/** PLACEHOLDER (issue 3, being written). */
public final class SpendLogWriter implements SpendLog {
    public SpendLogWriter(Database db, Path spoolDir) {}

    @Override public void record(SpendRecord row) {}
    @Override public long queued() { return 0; }
    @Override public long oldestAgeMillis() { return 0; }
    @Override public void flush() {}
    @Override public void close() {}
}
