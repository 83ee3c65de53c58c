package dev.aigateway.governance.tenancy;

import dev.aigateway.core.GatewayException;
import dev.aigateway.governance.keys.VirtualKey;
import dev.aigateway.governance.limits.Holder;
import dev.aigateway.governance.limits.HolderBudgets;

import java.util.List;

/**
 * What a request needs to know about the tenancy above its key (organization, team, team membership, user) and its end
 * user: answered from memory on the event loop, never from the database (only {@link #resetBudget} writes, on a worker). The gateway's one implementation is the
 * tenancy registry.
 */
public interface Tenancy extends HolderBudgets {

    /**
     * The holders whose limits the key's requests must pass, outermost first (organization, team, team membership,
     * user, end user); every one that exists, limited or not (spend rows name the organization). {@code key} is null for
     * the master key; {@code endUserId} may be null or unknown.
     */
    List<Holder> holders(VirtualKey key, String endUserId);

    /**
     * Null when the tenancy lets the key's request for {@code model} go on; else the refusal: a blocked team,
     * organization or end user (403), or a model outside the team's, organization's or user's model list (403).
     * The key's own model list is checked separately.
     */
    GatewayException refusal(VirtualKey key, String endUserId, String model);
}
