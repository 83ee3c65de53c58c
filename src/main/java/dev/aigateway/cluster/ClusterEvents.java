package dev.aigateway.cluster;

import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Changes that every gateway instance must see within a second: a key created, changed, blocked or deleted, the tenancy
 * (teams, users, organizations...),
 * the set of runtime models, and deployments put into cooldown. The instance that makes a change applies it locally itself and publishes
 * it here; the others hear it and reload from the database. Without Redis there are no others, and
 * publishing does nothing (a periodic reload still backs this up).
 */
public interface ClusterEvents extends AutoCloseable {

    void publishKeyChanged(String tokenHash);

    void publishModelsChanged();

    /** Organizations, teams, memberships, users, end users or named budgets changed: the others reload them all. */
    default void publishTenancyChanged() {}

    /** Called (on a worker thread) when another instance changed the tenancy. */
    default void onTenancyChanged(Runnable listener) {}

    /** A deployment went into cooldown until this time (epoch ms): other instances skip it too. */
    void publishCooldown(String deploymentId, long untilMillis);

    /** Called (on a worker thread) when another instance cooled a deployment down. */
    void onCooldown(BiConsumer<String, Long> listener);

    /** Called (on a worker thread) when another instance changed a key. */
    void onKeyChanged(Consumer<String> listener);

    /** Called (on a worker thread) when another instance changed the runtime models. */
    void onModelsChanged(Runnable listener);

    @Override
    default void close() {}

    /** A single instance: nothing to tell anyone. */
    static ClusterEvents local() {
        return new ClusterEvents() {
            @Override public void publishKeyChanged(String tokenHash) {}
            @Override public void publishModelsChanged() {}
            @Override public void onKeyChanged(Consumer<String> listener) {}
            @Override public void onModelsChanged(Runnable listener) {}
            @Override public void publishCooldown(String deploymentId, long untilMillis) {}
            @Override public void onCooldown(BiConsumer<String, Long> listener) {}
        };
    }
}
