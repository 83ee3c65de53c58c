package dev.aigateway.governance.limits;

import dev.aigateway.governance.keys.VirtualKey;
import dev.aigateway.router.Deployment;

import java.time.Instant;

/**
 * What admission needs to know about a request.
 *
 * @param key                 the virtual key, or null (master key / no auth: only deployment limits apply)
 * @param modelName           the model group the client asked for (after key aliases)
 * @param deployment          the deployment chosen to serve it (its rpm/tpm from litellm_params apply)
 * @param estimatedCostNanos  worst-case cost in nano-USD to reserve against budgets (0 when no budget applies)
 * @param now                 the time to judge windows by (a Clock, so tests can move it)
 */
public record AdmissionRequest(VirtualKey key, String modelName, Deployment deployment, long estimatedCostNanos, Instant now) {}
