package dev.aigateway.provider.bedrock;

import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.provider.ProviderErrors;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each deployment's AWS credentials, resolved and refreshed on worker threads, never on an event loop: the SDK's
 * providers read files, call the instance metadata service or STS, and block while they do. A request takes the
 * cached credentials at once; when they come near their expiry ({@link #refreshAt}) one refresh starts on a worker
 * and the request still signs with the current ones. Only a cold start or expired credentials make a request wait, and
 * then all waiting requests share one resolution.
 */
final class CredentialsCache {
    private static final Logger LOG = LoggerFactory.getLogger(CredentialsCache.class);
    /** Refresh this long before credentials expire (STS credentials last an hour by default). */
    static final Duration REFRESH_AHEAD = Duration.ofMinutes(5);
    /** Credentials without an expiry (static keys, environment) are re-read this often, in the background. */
    static final Duration RECHECK = Duration.ofMinutes(15);

    private final Vertx vertx;
    private final Clock clock;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    CredentialsCache(Vertx vertx, Clock clock) {
        this.vertx = vertx;
        this.clock = clock;
    }

    /** One deployment's source and what it last gave. Its fields change under its own lock. */
    private static final class Entry {
        volatile AwsCredentialsProvider provider;
        AwsCredentialsIdentity current;
        Instant refreshAt;
        Instant expiresAt;
        Future<AwsCredentialsIdentity> inFlight;
    }

    Future<AwsCredentialsIdentity> get(Deployment d) {
        Entry e = entries.computeIfAbsent(CredentialSources.cacheKey(d), k -> new Entry());
        Instant now = clock.instant();
        synchronized (e) {
            boolean usable = e.current != null && (e.expiresAt == null || now.isBefore(e.expiresAt));
            if (usable) {
                if (!now.isBefore(e.refreshAt) && e.inFlight == null) e.inFlight = refresh(e, d);
                return Future.succeededFuture(e.current);
            }
            if (e.inFlight == null) e.inFlight = refresh(e, d);
            return e.inFlight;
        }
    }

    /**
     * {@link #REFRESH_AHEAD} before expiry, or halfway through what is left of short-lived credentials (so a source
     * that hands out credentials already near their end is not asked again on every request).
     */
    static Instant refreshAt(Instant now, Instant expiresAt) {
        Duration left = Duration.between(now, expiresAt);
        Duration ahead = left.dividedBy(2).compareTo(REFRESH_AHEAD) < 0 ? left.dividedBy(2) : REFRESH_AHEAD;
        return expiresAt.minus(ahead);
    }

    private Future<AwsCredentialsIdentity> refresh(Entry e, Deployment d) {
        Promise<AwsCredentialsIdentity> p = Promise.promise();
        vertx.<AwsCredentialsIdentity>executeBlocking(() -> {
            if (e.provider == null) e.provider = CredentialSources.of(d);
            return e.provider.resolveCredentials();
        }, false).onComplete(ar -> {
            synchronized (e) {
                e.inFlight = null;
                if (ar.succeeded()) {
                    AwsCredentialsIdentity c = ar.result();
                    Instant now = clock.instant();
                    e.current = c;
                    e.expiresAt = c.expirationTime().orElse(null);
                    e.refreshAt = e.expiresAt == null ? now.plus(RECHECK) : refreshAt(now, e.expiresAt);
                }
            }
            if (ar.succeeded()) {
                p.complete(ar.result());
            } else {
                // The SDK's messages name where it looked (variables, files, endpoints), never the secrets themselves.
                LOG.warn("AWS credentials for deployment {} could not be resolved: {}", d.id(), ar.cause().getMessage());
                p.fail(ProviderErrors.scrub(GatewayException.upstream("bedrock: no AWS credentials for deployment " + d.id() + ": "
                        + ar.cause().getMessage()), d));
            }
        });
        return p.future();
    }
}
