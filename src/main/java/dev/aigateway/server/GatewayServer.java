package dev.aigateway.server;

import dev.aigateway.cluster.ClusterEvents;
import dev.aigateway.cluster.RedisClusterEvents;
import dev.aigateway.cluster.RedisEndpoint;
import dev.aigateway.config.EnvReferences;
import dev.aigateway.config.GatewayConfig;
import dev.aigateway.config.UiSettings;
import dev.aigateway.core.ConfigException;
import dev.aigateway.db.Database;
import dev.aigateway.governance.Authenticator;
import dev.aigateway.governance.Governance;
import dev.aigateway.governance.MasterKeyFallback;
import dev.aigateway.governance.access.ModelAccess;
import dev.aigateway.governance.keys.KeyService;
import dev.aigateway.governance.keys.KeyRegistry;
import dev.aigateway.governance.tenancy.TenancyRegistry;
import dev.aigateway.governance.tenancy.TenancyService;
import dev.aigateway.governance.tenancy.TenancyStore;
import dev.aigateway.governance.keys.KeyStore;
import dev.aigateway.governance.limits.Limiter;
import dev.aigateway.governance.limits.Limiters;
import dev.aigateway.governance.limits.StoredBudgetResets;
import dev.aigateway.governance.responses.ResponseRetention;
import dev.aigateway.governance.responses.ResponseState;
import dev.aigateway.governance.responses.ResponseStore;
import dev.aigateway.governance.spend.Pricing;
import dev.aigateway.governance.spend.SpendLog;
import dev.aigateway.governance.spend.SpendLogWriter;
import dev.aigateway.governance.spend.SpendRetention;
import dev.aigateway.governance.spend.SpendReports;
import dev.aigateway.governance.spend.SpendStore;
import dev.aigateway.governance.spend.Tokenizer;
import dev.aigateway.models.CredentialCipher;
import dev.aigateway.models.ModelStore;
import dev.aigateway.models.ModelService;
import dev.aigateway.models.RuntimeModels;
import dev.aigateway.models.SaltKeyCheck;
import dev.aigateway.pricing.PriceTable;
import dev.aigateway.provider.Providers;
import dev.aigateway.provider.anthropic.AnthropicTokenCounter;
import dev.aigateway.provider.http.Upstream;
import dev.aigateway.router.Failover;
import dev.aigateway.router.ModelCatalog;
import dev.aigateway.router.Router;
import dev.aigateway.server.admin.AdminRoutes;
import dev.aigateway.server.admin.GlobalSpendHandler;
import dev.aigateway.server.admin.KeyAdminHandler;
import dev.aigateway.server.admin.ModelAdminHandler;
import dev.aigateway.server.admin.RouteListHandler;
import dev.aigateway.server.admin.SpendAdminHandler;
import dev.aigateway.server.admin.SpendCalculateHandler;
import dev.aigateway.server.audio.SpeechHandler;
import dev.aigateway.server.audio.TranscriptionsHandler;
import dev.aigateway.server.images.ImagesHandler;
import dev.aigateway.server.moderations.ModerationsHandler;
import dev.aigateway.server.rerank.RerankHandler;
import dev.aigateway.server.chat.ChatCompletionsHandler;
import dev.aigateway.server.completions.TextCompletionsHandler;
import dev.aigateway.server.embeddings.EmbeddingsHandler;
import dev.aigateway.server.health.BackgroundHealthChecks;
import dev.aigateway.provider.DeploymentProbe;
import dev.aigateway.server.health.HealthHandler;
import dev.aigateway.server.messages.CountTokensHandler;
import dev.aigateway.server.messages.MessagesHandler;
import dev.aigateway.server.responses.ResponsesHandler;
import dev.aigateway.server.metrics.GatewayMetrics;
import dev.aigateway.server.metrics.MetricsHandler;
import dev.aigateway.server.models.ModelGroupInfoHandler;
import dev.aigateway.server.models.ModelsHandler;
import dev.aigateway.server.responses.StoredResponsesHandler;
import dev.aigateway.server.transport.ConnectionGuard;
import dev.aigateway.server.transport.ConnectionLimit;
import dev.aigateway.server.ui.UiRoutes;
import dev.aigateway.server.ui.UiState;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.BindException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Starts and stops a gateway, and is its only composition root: every service is built here once, when the gateway
 * starts, and handed to what uses it through constructors. Nothing else constructs a service or looks one up.
 *
 * <p>Two lifetimes, kept apart:
 * <ul>
 *   <li>the instance's services (database, governance, router, providers, key writes, spend reads, metrics, the admin
 *       UI's sessions): one of each, shared by every event loop, so each is immutable or safe for concurrent use;</li>
 *   <li>each event loop's request path ({@link #loop}): its {@link ConnectionGuard}, {@link RequestPipeline} and the
 *       handlers over them, built on that loop when its {@link GatewayVerticle} starts and confined to it.</li>
 * </ul>
 * The database is opened (migrations run) before any request. Used by {@code run} and by tests, which start real
 * gateways in-process and read the services through the accessors below.
 */
public final class GatewayServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);
    /** The safety net behind invalidation messages: how often every instance re-reads the keys. */
    private static final long KEY_REFRESH_MS = 5_000;
    /** How long a shutdown lets in-flight requests and streams finish before it closes them. */
    static final long DRAIN_SECONDS = 30;

    private final GatewayConfig config;
    private final String version = currentVersion();
    private final long startedAtMillis = System.currentTimeMillis();
    private final Database database;
    private final Router router;
    private final RuntimeModels runtimeModels;
    private final Vertx vertx;
    private final Upstream upstream;
    private final Providers providers;
    private final Governance governance;
    private final ClusterEvents cluster;
    private final Readiness readiness;
    private final GatewayMetrics metrics;
    private final BodyBudget bodyBudget;
    private final ConnectionLimit connections;
    private final DeploymentProbe probe;
    private final Failover failover;
    private final RequestAuth auth;
    private final KeyService keyService;
    /** Organizations, teams, users, end users, named budgets: in memory for requests, written through the service. */
    private final TenancyRegistry tenancy;
    private final TenancyService tenancyService;
    private final SpendStore spendStore;
    /** Stored Responses-API responses: the routes read them, POST /v1/responses continues and remembers through the state. */
    private final ResponseStore responseStore;
    private final ResponseState responseState;
    private final ResponseRetention responseRetention;
    private final UiState ui;
    private final UiRoutes uiRoutes;
    private final ModelService modelService;
    private final int eventLoops;
    private final List<GatewayVerticle> verticles = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile int port; // set on an event loop when the servers listen, read by the starting thread

    /** Builds the services (blocking: start-up only); nothing listens yet. */
    private GatewayServer(GatewayConfig config, Clock clock) {
        this.config = config;
        // Settings that can still fail are read before anything is opened that would then have to be closed.
        boolean masterKeyOnLlmRoutes = config.general().allowMasterKeyForLlmRoutes();
        UiSettings uiSettings = config.ui();
        RedisEndpoint redis = RedisEndpoint.parse(config.redisUrl()); // null: a single instance, counting locally
        database = Database.open(config.databaseUrl(), config.resources().databasePoolSize());
        Pricing pricing = new Pricing(PriceTable.bundled());
        router = new Router(new ModelCatalog(config.deployments()), config.routing(), pricing::priceOf, clock);
        runtimeModels = runtimeModels(config, database, router);
        if (config.routing().preCallChecks()) Tokenizer.preload(); // pre-call checks need exact prompt counts
        int loops = config.resources().eventLoops();
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setWorkerPoolSize(4)
                .setPreferNativeTransport(true).setInternalBlockingPoolSize(4));
        upstream = new Upstream(vertx, config.transport().upstreamPoolSize());
        providers = new Providers(vertx, upstream, config.vertex());
        ModelAccess modelAccess = new ModelAccess(router::catalog);
        tenancy = new TenancyRegistry(new TenancyStore(database), modelAccess);
        tenancy.reload();
        governance = governance(config, database, vertx, clock, redis, pricing, tenancy, modelAccess);
        cluster = redis == null ? ClusterEvents.local() : new RedisClusterEvents(vertx, redis);
        cluster.onKeyChanged(governance.keys()::reload);
        cluster.onTenancyChanged(tenancy::refresh);
        cluster.onModelsChanged(runtimeModels::reloadLogged);
        router.onCooldown(cluster::publishCooldown);
        cluster.onCooldown(router::applyCooldown);
        readiness = new Readiness(database, governance);
        metrics = new GatewayMetrics(clock);
        bodyBudget = new BodyBudget(config.transport().bodyMemoryBytes());
        connections = new ConnectionLimit(config.transport().maxConnections());
        metrics.transport(connections::open, connections::refused, bodyBudget::inUse, bodyBudget.capacity());
        router.events(metrics); // failed attempts and cooldowns, for /metrics
        probe = new DeploymentProbe(providers);
        failover = new Failover(router, vertx);
        ui = new UiState(uiSettings, clock);
        auth = new RequestAuth(governance.authenticator(), new MasterKeyFallback(masterKeyOnLlmRoutes, governance.keys()), ui.auth(),
                config.security().trustedProxies());
        keyService = new KeyService(governance.keyStore(), governance.keys(), cluster, clock, config.masterKey());
        tenancyService = new TenancyService(new TenancyStore(database), tenancy, cluster, clock);
        spendStore = new SpendStore(database);
        responseStore = new ResponseStore(database);
        responseState = new ResponseState(responseStore, vertx, clock);
        responseRetention = new ResponseRetention(responseStore, config.general().responsesRetention(), clock);
        modelService = new ModelService(runtimeModels, router, cluster, providers, clock);
        uiRoutes = new UiRoutes(ui, config.security().trustedProxies(), version, router, clock, modelService);
        eventLoops = loops;
        startBackgroundWork();
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
        GatewayServer server = new GatewayServer(config, clock);
        server.listen();
        return server;
    }

    /** Readiness pings, the periodic reloads of keys and runtime models, background health checks. */
    private void startBackgroundWork() {
        periodically(5_000, readiness::ping);
        periodically(KEY_REFRESH_MS, governance.keys()::refresh);
        periodically(KEY_REFRESH_MS, tenancy::refresh);
        periodically(KEY_REFRESH_MS, runtimeModels::refresh);
        vertx.executeBlocking(responseRetention::runOnce, false); // once now: a gateway restarted daily still purges
        periodically(ResponseRetention.EVERY.toMillis(), responseRetention::runOnce);
        if (config.routing().healthCheckInterval() != null) {
            BackgroundHealthChecks.start(vertx, router, probe, config.routing().healthCheckInterval());
        }
    }

    /**
     * Blocking work on a worker thread every {@code ms}. Stops once the gateway is closing: a tick that came after the
     * worker pool shut down would otherwise be refused with an error in the log.
     */
    private void periodically(long ms, Runnable work) {
        vertx.setPeriodic(ms, id -> {
            if (closed.get()) {
                vertx.cancelTimer(id);
                return;
            }
            vertx.executeBlocking(() -> {
                work.run();
                return null;
            }, false);
        });
    }

    /** Deploys one verticle per event loop, each serving its own {@link #loop}; all listen on one port. */
    private void listen() {
        try {
            vertx.deployVerticle(() -> {
                GatewayVerticle v = new GatewayVerticle(config.host(), config.port(), this::loop);
                verticles.add(v);
                return v;
            }, new DeploymentOptions().setInstances(eventLoops).setThreadingModel(ThreadingModel.EVENT_LOOP))
                    .await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            governance.spendLog().close(); // releases the journal's directory lock for a retry in this process
            database.close();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof BindException || String.valueOf(cause.getMessage()).contains("Address already in use")) {
                throw new ConfigException("Port " + config.port() + " on " + config.host() + " is already in use. "
                        + "Stop what holds it (ss -ltnp 'sport = :" + config.port() + "'), or choose another port with "
                        + "--port or GATEWAY_PORT.");
            }
            throw new ConfigException("Could not start the HTTP server on " + config.host() + ":" + config.port() + ": " + cause.getMessage());
        }
        port = verticles.get(0).actualPort();
        LOG.info("AI Gateway {} listening on http://{}:{} with {} models ({} event loops, {} transport)", version,
                config.host(), port, router.catalog().modelNames().size(), eventLoops,
                vertx.isNativeTransportEnabled() ? "epoll" : "nio");
    }

    /**
     * One event loop's request path over the shared services: its connection guard, its pipeline, and the route
     * table's handlers. Called by each {@link GatewayVerticle} as it starts, on its own loop; what it builds is
     * confined to that loop.
     */
    private GatewayVerticle.Loop loop() {
        ConnectionGuard guard = new ConnectionGuard(vertx, config.transport(), connections);
        RequestPipeline pipeline = new RequestPipeline(vertx, guard, auth, governance, router, providers, failover,
                new RequestAccounting(governance, router, metrics), bodyBudget, config.maxRequestBytes());
        ModelsHandler models = new ModelsHandler(pipeline, router, governance.modelAccess(), governance.tenancy(), startedAtMillis,
                governance.pricing()::knownModels);
        CountTokensHandler countTokens = new CountTokensHandler(pipeline, new AnthropicTokenCounter(upstream));
        HealthHandler health = new HealthHandler(pipeline, probe, readiness, router, version, startedAtMillis);
        MetricsHandler metricsPage = new MetricsHandler(pipeline, config.security().metricsRequireAuth(),
                () -> metrics.scrape(router, governance.keys(), governance.spendLog(), version, startedAtMillis));
        AzureDeploymentRoutes azure = new AzureDeploymentRoutes(pipeline, ChatCompletionsHandler.ROUTE, TextCompletionsHandler.ROUTE,
                EmbeddingsHandler.ROUTE);
        Routes routes = new Routes(pipeline)
                .add(HttpMethod.POST, "/chat/completions", pipeline.llmRoute(ChatCompletionsHandler.ROUTE))
                .add(HttpMethod.POST, "/completions", pipeline.llmRoute(TextCompletionsHandler.ROUTE))
                .add(HttpMethod.POST, "/embeddings", pipeline.llmRoute(EmbeddingsHandler.ROUTE))
                .add(HttpMethod.POST, "/messages", pipeline.llmRoute(MessagesHandler.ROUTE))
                .add(HttpMethod.POST, "/responses", pipeline.llmRoute(ResponsesHandler.route(responseState)))
                .add(HttpMethod.POST, "/responses/compact", pipeline.llmRoute(ResponsesHandler.COMPACT))
                .addPrefix(HttpMethod.POST, AzureDeploymentRoutes.PREFIX, azure::handle)
                .addPrefix(HttpMethod.POST, AzureDeploymentRoutes.ENGINES_PREFIX, azure::handle)
                .add(HttpMethod.POST, "/messages/count_tokens", countTokens::handle)
                .add(HttpMethod.GET, "/models", models::list)
                .addPrefix(HttpMethod.GET, "/models/", models::get)
                .add(HttpMethod.GET, "/health/liveliness", health::liveness)
                .add(HttpMethod.GET, "/health/liveness", health::liveness)
                .add(HttpMethod.GET, "/health/readiness", health::readiness)
                .add(HttpMethod.GET, "/health", health::health)
                .add(HttpMethod.GET, "/metrics", metricsPage::handle)
                .add(HttpMethod.GET, "/model_group/info", new ModelGroupInfoHandler(pipeline, router, governance.modelAccess(),
                        governance.pricing(), models::listedNames)::handle);
        routes.add(HttpMethod.POST, "/images/generations", pipeline.llmRoute(ImagesHandler.ROUTE))
                .add(HttpMethod.POST, "/audio/transcriptions", pipeline.llmRoute(TranscriptionsHandler.ROUTE))
                .add(HttpMethod.POST, "/audio/speech", pipeline.llmRoute(SpeechHandler.ROUTE))
                .add(HttpMethod.POST, "/moderations", pipeline.llmRoute(ModerationsHandler.route(router, governance.pricing())))
                .add(HttpMethod.POST, "/rerank", pipeline.llmRoute(RerankHandler.ROUTE))
                .add(HttpMethod.POST, "/v2/rerank", pipeline.llmRoute(RerankHandler.ROUTE));
        AdminRoutes.register(routes,
                new KeyAdminHandler(pipeline, keyService, governance.spendLog(), tenancy),
                new ModelAdminHandler(pipeline, modelService, governance.pricing(), governance.modelAccess()),
                new SpendAdminHandler(pipeline, spendStore, governance.keys(), governance.keyStore()));
        AdminRoutes.registerTenancy(routes, pipeline, tenancyService, keyService);
        new GlobalSpendHandler(pipeline, new SpendReports(spendStore.database()), governance.keys()).register(routes);
        new SpendCalculateHandler(pipeline, router, governance.pricing()).register(routes);
        RouteListHandler.register(routes, pipeline);
        uiRoutes.register(routes, pipeline);
        // Stored responses: GET /v1/responses/{id}, DELETE /v1/responses/{id}, GET /v1/responses/{id}/input_items
        StoredResponsesHandler storedResponses = new StoredResponsesHandler(pipeline, responseStore);
        routes.addPrefix(HttpMethod.GET, "/responses/", storedResponses::get)
                .addPrefix(HttpMethod.DELETE, "/responses/", storedResponses::delete);
        return new GatewayVerticle.Loop(guard, routes);
    }

    /** Virtual keys, limits and spend, loaded before the first request (blocking: start-up only). */
    private static Governance governance(GatewayConfig config, Database db, Vertx vertx, Clock clock, RedisEndpoint redis, Pricing pricing,
                                         TenancyRegistry tenancy, ModelAccess modelAccess) {
        // The spend journal first: rows an earlier run left there (a crash) reach the database before the keys are
        // loaded, so the stored spend that budgets start from is complete. spend-spool: earlier releases' spool.
        SpendLog spend = new SpendLogWriter(db, config.dataDir().resolve("spend-journal"), List.of(config.dataDir().resolve("spend-spool")),
                SpendRetention.Policy.from(config.general()));
        KeyStore keyStore = new KeyStore(db);
        KeyRegistry keys = new KeyRegistry(keyStore);
        keys.reloadAll();
        Limiter limiter = Limiters.create(vertx, clock, redis, new StoredBudgetResets(keyStore, keys, tenancy,
                work -> vertx.executeBlocking(() -> { work.run(); return null; }, false)));
        return new Governance(new Authenticator(config.masterKey(), keys, clock, config.security().invalidKeyAttemptsPerMinute(), tenancy), keys, keyStore, limiter,
                tenancy, pricing, spend, clock, modelAccess);
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

    public int port() {
        return port;
    }

    /** This build's version (the jar's Implementation-Version; "dev" when run from classes). */
    public static String currentVersion() {
        String v = GatewayServer.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    // --- the services, for tests that reach into a running gateway (nothing in the gateway reads them from here)

    public Vertx vertx() {
        return vertx;
    }

    public GatewayConfig config() {
        return config;
    }

    public Governance governance() {
        return governance;
    }

    public Router router() {
        return router;
    }

    public ResponseStore responseStore() {
        return responseStore;
    }

    public ResponseState responseState() {
        return responseState;
    }

    public Database database() {
        return database;
    }

    public RuntimeModels runtimeModels() {
        return runtimeModels;
    }

    public ClusterEvents cluster() {
        return cluster;
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    public BodyBudget bodyBudget() {
        return bodyBudget;
    }

    public KeyService keyService() {
        return keyService;
    }

    public TenancyRegistry tenancy() {
        return tenancy;
    }

    public TenancyService tenancyService() {
        return tenancyService;
    }

    public UiState ui() {
        return ui;
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
            cluster.close();
            governance.limiter().close(); // before Vert.x closes its Redis connections under it
            upstream.close();
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Error while stopping: {}", e.getMessage());
        } finally {
            governance.spendLog().close(); // flushes what is queued
            if (database != null) database.close();
        }
    }
}
