package dev.aigateway.governance.tenancy;

import dev.aigateway.core.GatewayException;
import dev.aigateway.governance.keys.VirtualKey;
import dev.aigateway.governance.limits.Check;
import dev.aigateway.governance.limits.Holder;

import java.time.Instant;
import java.util.List;

/**
 * What a request needs to know about the tenancy above its key (organization, team, team membership, user) and its end
 * user: answered from memory on the event loop, never from the database. The gateway's one implementation is the
 * tenancy registry; {@link #NONE} is a gateway where nothing belongs to anything.
 */
public interface Tenancy {

    /**
     * The holders whose limits the key's requests must pass, outermost first (organization, team, team membership,
     * user, end user); only the ones that exist and have a limit. {@code endUserId} may be null or unknown.
     */
    List<Holder> holders(VirtualKey key, String endUserId);

    /**
     * Null when the tenancy lets the key's request for {@code model} go on; else the refusal: a blocked team,
     * organization or end user (403), or a model outside the team's, organization's or user's model list (403).
     * The key's own model list is checked separately.
     */
    GatewayException refusal(VirtualKey key, String endUserId, String model);

    /**
     * Starts a holder's stored budget window again ({@code spend = 0}, {@code budget_reset_at = nextEnd}) if the stored
     * row is still in the window that ended at {@code previousEnd}, then re-reads it. Blocking: call on a worker thread.
     *
     * @return whether this call reset the row (false: another instance did, or the row is gone)
     */
    boolean resetBudget(Check.Level level, String id, Instant previousEnd, Instant nextEnd);

    Tenancy NONE = new Tenancy() {
        @Override
        public List<Holder> holders(VirtualKey key, String endUserId) {
            return List.of();
        }

        @Override
        public GatewayException refusal(VirtualKey key, String endUserId, String model) {
            return null;
        }

        @Override
        public boolean resetBudget(Check.Level level, String id, Instant previousEnd, Instant nextEnd) {
            return false;
        }
    };
}
