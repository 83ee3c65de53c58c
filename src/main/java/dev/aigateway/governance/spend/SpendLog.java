package dev.aigateway.governance.spend;

import java.util.function.Supplier;

/**
 * Where finished requests are recorded. {@link #record} is called on event loops and never blocks: rows
 * go to an in-memory queue, reach a local journal within milliseconds (so a crash loses only the last few
 * milliseconds) and the database in batches (rows, daily aggregates, key spend in one transaction). When the
 * database is down rows wait in the journal and land when it is back: none are lost.
 */
public interface SpendLog extends AutoCloseable {

    void record(SpendRecord row);

    /** Rows waiting to be written (memory and disk). */
    long queued();

    /** Age in milliseconds of the oldest waiting row, 0 when none wait. */
    long oldestAgeMillis();

    /**
     * USD of this key's rows recorded by this process and not yet in the database: with the key's stored spend,
     * read inside {@link #readingStoredSpend}, what the key has spent as far as this instance knows.
     */
    double unwrittenSpend(String keyHash);

    /**
     * Runs a (blocking) read of keys' stored spend while no batch commits, so that stored spend plus
     * {@link #unwrittenSpend} counts every row once, whether or not a flush happens meanwhile.
     */
    <T> T readingStoredSpend(Supplier<T> read);

    /** Writes everything waiting (blocking); used at shutdown and by tests. */
    void flush();

    @Override
    void close();
}
