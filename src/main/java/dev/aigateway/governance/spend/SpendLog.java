package dev.aigateway.governance.spend;

/**
 * Where finished requests are recorded. {@link #record} is called on event loops and never blocks: rows
 * go to an in-memory queue that a background writer drains in batches (rows, daily aggregates, key spend
 * in one transaction). When the database is down rows wait (spilling to disk past a bound) and land when
 * it is back: none are lost.
 */
public interface SpendLog extends AutoCloseable {

    void record(SpendRecord row);

    /** Rows waiting to be written (memory and disk). */
    long queued();

    /** Age in milliseconds of the oldest waiting row, 0 when none wait. */
    long oldestAgeMillis();

    /** Writes everything waiting (blocking); used at shutdown and by tests. */
    void flush();

    @Override
    void close();
}
