package dev.aigateway.server;

import dev.aigateway.cluster.ClusterEvents;
import dev.aigateway.cluster.RedisClusterEvents;
import dev.aigateway.cluster.RedisEndpoint;
import dev.aigateway.config.EnvReferences;
import dev.aigateway.config.GatewayConfig;
import dev.aigateway.core.ConfigException;
import dev.aigateway.db.Database;
import dev.aigateway.governance.Authenticator;
import dev.aigateway.governance.Governance;
import dev.aigateway.governance.keys.KeyRegistry;
import dev.aigateway.governance.keys.KeyStore;
import dev.aigateway.governance.limits.Limiter;
import dev.aigateway.governance.limits.Limiters;
import dev.aigateway.governance.limits.StoredBudgetResets;
import dev.aigateway.governance.spend.Pricing;
import dev.aigateway.governance.spend.SpendLog;
import dev.aigateway.governance.spend.SpendLogWriter;
import dev.aigateway.governance.spend.SpendRetention;
import dev.aigateway.governance.spend.Tokenizer;
import dev.aigateway.models.CredentialCipher;
import dev.aigateway.models.ModelService;
import dev.aigateway.models.ModelStore;
import dev.aigateway.models.RuntimeModels;
import dev.aigateway.models.SaltKeyCheck;
import dev.aigateway.pricing.PriceTable;
import dev.aigateway.provider.DeploymentProbe;
import dev.aigateway.provider.Providers;
import dev.aigateway.provider.http.Upstream;
import dev.aigateway.router.ModelCatalog;
import dev.aigateway.router.Router;
import dev.aigateway.server.health.BackgroundHealthChecks;
import dev.aigateway.server.metrics.GatewayMetrics;
import dev.aigateway.server.transport.ConnectionLimit;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.BindException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Starts and stops a gateway: opens the database (migrations run here, before any request), builds the
 * shared services, and deploys one {@link GatewayVerticle} per event loop. Used by {@code run} and by
 * tests, which start real gateways in-process.
 */
public final class GatewayServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);
    /** The safety net behind invalidation messages: how often every instance re-reads the keys. */
    private static final long KEY_REFRESH_MS = 5_000;

    private final Vertx vertx;
    private final Gateway gateway;
    private final Upstream upstream;
    private final int port;
    private final List<GatewayVerticle> verticles;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    /** How long a shutdown lets in-flight requests and streams finish before it closes them. */
    static final long DRAIN_SECONDS = 30;

    private GatewayServer(Vertx vertx, Gateway gateway, Upstream upstream, int port, List<GatewayVerticle> verticles) {
        this.vertx = vertx;
        this.gateway = gateway;
        this.upstream = upstream;
        this.port = port;
        this.verticles = verticles;
    }

    /** Starts a gateway and returns once it listens; throws {@link ConfigException} with a readable message on failure. */
    public static GatewayServer start(GatewayConfig config) {
        return start(config, Clock.systemUTC());
    }

    /** The same, with the clock budgets and rate-limit windows are judged by (tests move it). */
    public static GatewayServer start(GatewayConfig config, Clock clock) {
        config.warnings().forEach(w -> LOG.warn("{}", w));
        if (config.masterKey() == null) {
            LOG.warn("No master key is configured: the gateway accepts every request without authentication. "
                    + "Run ./ai-gateway setup (or set GATEWAY_MASTER_KEY=sk-...) to require keys.");
        }
        RedisEndpoint redis = RedisEndpoint.parse(config.redisUrl()); // null: a single instance, counting locally
        Database db = Database.open(config.databaseUrl());
        Pricing pricing = new Pricing(PriceTable.bundled());
        Router router = new Router(new ModelCatalog(config.deployments()), config.routing(), pricing::priceOf, clock);
        RuntimeModels runtimeModels = runtimeModels(config, db, router);
        if (config.routing().preCallChecks()) Tokenizer.preload(); // pre-call checks need exact prompt counts
        int loops = eventLoops();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setWorkerPoolSize(4)
                .setPreferNativeTransport(true).setInternalBlockingPoolSize(4));
        Upstream upstream = new Upstream(vertx, config.transport().upstreamPoolSize());
        Governance governance = governance(config, db, vertx, clock, redis, pricing);
        ClusterEvents cluster = redis == null ? ClusterEvents.local() : new RedisClusterEvents(vertx, redis);
        cluster.onKeyChanged(governance.keys()::reload);
        cluster.onModelsChanged(runtimeModels::reloadLogged);
        router.onCooldown(cluster::publishCooldown);
        cluster.onCooldown(router::applyCooldown);
        Readiness readiness = new Readiness(db, governance);
        GatewayMetrics metrics = new GatewayMetrics(clock);
        BodyBudget bodyBudget = new BodyBudget(config.transport().bodyMemoryBytes());
        ConnectionLimit connections = new ConnectionLimit(config.transport().maxConnections());
        metrics.transport(connections::open, connections::refused, bodyBudget::inUse, bodyBudget.capacity());
        router.events(metrics); // failed attempts and cooldowns, for /metrics
        Gateway gateway = new Gateway(config, governance, router,
                new Providers(vertx, upstream), cluster, db, readiness, System.currentTimeMillis(), Gateway.currentVersion(),
                runtimeModels, metrics, bodyBudget);
        readiness.start(vertx, 5_000);
        vertx.setPeriodic(KEY_REFRESH_MS, id -> vertx.executeBlocking(() -> {
            governance.keys().refresh();
            return null;
        }, false));
        vertx.setPeriodic(KEY_REFRESH_MS, id -> vertx.executeBlocking(() -> {
            runtimeModels.refresh();
            return null;
        }, false));
        if (config.routing().healthCheckInterval() != null) {
            BackgroundHealthChecks.start(vertx, router, new DeploymentProbe(gateway.providers()), config.routing().healthCheckInterval());
        }
        ModelService modelService = new ModelService(runtimeModels, router, cluster, gateway.providers(), clock);
        List<GatewayVerticle> verticles = new CopyOnWriteArrayList<>();
        try {
            vertx.deployVerticle(() -> {
                GatewayVerticle v = new GatewayVerticle(gateway, connections, modelService);
                verticles.add(v);
                return v;
            }, new DeploymentOptions().setInstances(loops).setThreadingModel(ThreadingModel.EVENT_LOOP))
                    .await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            governance.spendLog().close(); // releases the journal's directory lock for a retry in this process
            db.close();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof BindException || String.valueOf(cause.getMessage()).contains("Address already in use")) {
                throw new ConfigException("Port " + config.port() + " on " + config.host() + " is already in use. "
                        + "Stop what holds it (ss -ltnp 'sport = :" + config.port() + "'), or choose another port with "
                        + "--port or GATEWAY_PORT.");
            }
            throw new ConfigException("Could not start the HTTP server on " + config.host() + ":" + config.port() + ": " + cause.getMessage());
        }
        int port = verticles.get(0).actualPort();
        LOG.info("AI Gateway {} listening on http://{}:{} with {} models ({} event loops, {} transport)", gateway.version(),
                config.host(), port, gateway.router().catalog().modelNames().size(), loops,
                vertx.isNativeTransportEnabled() ? "epoll" : "nio");
        return new GatewayServer(vertx, gateway, upstream, port, verticles);
    }

    /** Virtual keys, limits and spend, loaded before the first request (blocking: start-up only). */
    private static Governance governance(GatewayConfig config, Database db, Vertx vertx, Clock clock, RedisEndpoint redis, Pricing pricing) {
        // The spend journal first: rows an earlier run left there (a crash) reach the database before the keys are
        // loaded, so the stored spend that budgets start from is complete. spend-spool: earlier releases' spool.
        SpendLog spend = new SpendLogWriter(db, config.dataDir().resolve("spend-journal"), List.of(config.dataDir().resolve("spend-spool")),
                SpendRetention.Policy.from(config.generalSettings()));
        KeyStore keyStore = new KeyStore(db);
        KeyRegistry keys = new KeyRegistry(keyStore);
        keys.reloadAll();
        Limiter limiter = Limiters.create(vertx, clock, redis, new StoredBudgetResets(keyStore, keys,
                work -> vertx.executeBlocking(() -> { work.run(); return null; }, false)));
        return new Governance(new Authenticator(config.masterKey(), keys, clock, config.security().invalidKeyAttemptsPerMinute()), keys, keyStore, limiter,
                pricing, spend, clock);
    }

    /** Runtime models: the salt key is checked, then the database's models join config.yaml's (blocking: start-up only). */
    private static RuntimeModels runtimeModels(GatewayConfig config, Database db, Router router) {
        try {
            CredentialCipher cipher = CredentialCipher.fromSaltKey(config.saltKey());
            ModelStore store = new ModelStore(db, cipher);
            SaltKeyCheck.verify(db, cipher, store);
            RuntimeModels models = new RuntimeModels(config.deployments(), store, router,
                    EnvReferences.runtimeModels(config.environment(), config.security().runtimeModelEnvVars()),
                    config.routerSettings());
            models.loadAtStartup();
            return models;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** One event loop per core (at least one): the gateway's work is short and never blocks. */
    static int eventLoops() {
        String fromEnv = System.getenv("GATEWAY_EVENT_LOOPS");
        if (fromEnv != null) {
            try {
                return Math.max(1, Integer.parseInt(fromEnv.strip()));
            } catch (NumberFormatException ignored) {
                // fall back to the core count
            }
        }
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    public int port() {
        return port;
    }

    public Gateway gateway() {
        return gateway;
    }

    public Vertx vertx() {
        return vertx;
    }

    /**
     * Graceful shutdown (SIGTERM): stop accepting, let in-flight requests and streams finish (up to
     * {@link #DRAIN_SECONDS}), then flush spend rows and release everything.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        try {
            List<Future<Void>> drains = new ArrayList<>();
            for (GatewayVerticle v : verticles) drains.add(v.shutdown(DRAIN_SECONDS));
            Future.join(drains).await(DRAIN_SECONDS + 5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Shutdown did not drain cleanly: {}", e.getMessage());
        }
        try {
            gateway.cluster().close();
            gateway.governance().limiter().close(); // before Vert.x closes its Redis connections under it
            upstream.close();
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Error while stopping: {}", e.getMessage());
        } finally {
            gateway.governance().spendLog().close(); // flushes what is queued
            if (gateway.database() != null) gateway.database().close();
        }
    }
}
