package dev.aigateway.router;

import dev.aigateway.core.Deployment;
import dev.aigateway.router.strategy.SimpleShuffle;

import java.util.List;

/**
 * Keeps a session on one deployment of its group, so the deployment that wrote its prompt cache reads it on the next
 * turn (a cache lives with the provider account that served the request; another deployment of the group would
 * write it again at full price).
 *
 * <p>Weighted rendezvous hashing: each candidate scores {@code weight / -ln(u)}, where {@code u} in (0, 1) is a hash of
 * the session's key and the deployment's id, and the highest score wins. So a session stays where it is while its
 * deployment can serve it; when that one cools down, is tried already or leaves the group, the session moves to its
 * second choice and only those sessions move; across many sessions each deployment gets its weight's share, as
 * simple-shuffle would give it. Nothing is remembered: every instance computes the same choice from the key alone.
 */
public final class SessionAffinity {
    /** No session key: the routing strategy chooses. */
    public static final long NONE = 0;

    private SessionAffinity() {}

    /** The candidate {@code key} sticks to; {@code candidates} is not empty. */
    static Deployment choose(List<Deployment> candidates, long key) {
        if (candidates.size() == 1) return candidates.get(0);
        double[] weights = SimpleShuffle.weights(candidates);
        Deployment best = null;
        double bestScore = -1;
        for (int i = 0; i < weights.length; i++) {
            Deployment d = candidates.get(i);
            double w = weights[i] > 0 ? weights[i] : Double.MIN_NORMAL; // a zero share still beats nothing
            double score = w / -Math.log(unit(mix(key ^ mix(d.id().hashCode()))));
            if (score > bestScore) {
                bestScore = score;
                best = d;
            }
        }
        return best;
    }

    /** A 64-bit hash of a session's identity (never {@link #NONE}). */
    public static long key(int identityHash) {
        long k = mix(identityHash * 0x9E3779B97F4A7C15L + 1);
        return k == NONE ? 1 : k;
    }

    /** The top 53 bits as a double in (0, 1). */
    private static double unit(long h) {
        return ((h >>> 11) + 0.5) * 0x1.0p-53;
    }

    /** MurmurHash3's 64-bit finaliser: every input bit moves every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
