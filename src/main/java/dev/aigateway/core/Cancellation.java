package dev.aigateway.core;

import java.util.ArrayList;
import java.util.List;

/**
 * A one-shot cancel signal for a request: set when the client disconnects, so that the upstream
 * call is reset instead of running (and billing) to the end. Event-loop confined, not thread-safe.
 */
public final class Cancellation {
    private List<Runnable> actions;
    private boolean cancelled;

    public boolean isCancelled() { return cancelled; }

    /** Runs {@code action} on cancel (at once if already cancelled). */
    public void onCancel(Runnable action) {
        if (cancelled) {
            action.run();
            return;
        }
        if (actions == null) actions = new ArrayList<>(2);
        actions.add(action);
    }

    public void cancel() {
        if (cancelled) return;
        cancelled = true;
        if (actions != null) {
            for (Runnable a : actions) {
                try {
                    a.run();
                } catch (RuntimeException ignored) {
                    // cancelling is best effort
                }
            }
            actions = null;
        }
    }
}
