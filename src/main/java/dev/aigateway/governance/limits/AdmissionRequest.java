package dev.aigateway.governance.limits;

import dev.aigateway.core.Deployment;
import dev.aigateway.governance.keys.VirtualKey;
import dev.aigateway.governance.spend.WorstCase;

import java.time.Instant;
import java.util.List;

/**
 * What admission needs to know about one upstream attempt of a request.
 *
 * @param key        the virtual key, or null (master key / no auth: only deployment limits apply)
 * @param modelName  the model group the attempt is for (after key aliases; a fallback's group for a fallback)
 * @param deployment the deployment chosen to serve it (its rpm/tpm from litellm_params apply)
 * @param cost       the most it can cost, by output limit, to check and reserve against budgets
 *                   ({@link WorstCase#FREE} when no budget applies)
 * @param now        the time to judge windows by (a Clock, so tests can move it)
 * @param holders    the tenancy above the key whose limits apply too (organization, team, membership, user, end user)
 */
public record AdmissionRequest(VirtualKey key, String modelName, Deployment deployment, WorstCase cost, Instant now,
                               List<Holder> holders) {

    /** A request of a key that belongs to nothing above it. */
    public AdmissionRequest(VirtualKey key, String modelName, Deployment deployment, WorstCase cost, Instant now) {
        this(key, modelName, deployment, cost, now, List.of());
    }

    /** A request whose worst case is a fixed amount, whatever its output limit. */
    public AdmissionRequest(VirtualKey key, String modelName, Deployment deployment, long estimatedCostNanos, Instant now) {
        this(key, modelName, deployment, WorstCase.fixed(estimatedCostNanos), now);
    }
}
