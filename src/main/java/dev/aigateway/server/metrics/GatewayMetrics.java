package dev.aigateway.server.metrics;

import dev.aigateway.core.Deployment;
import dev.aigateway.governance.Principal;
import dev.aigateway.governance.keys.KeyRegistry;
import dev.aigateway.governance.keys.VirtualKey;
import dev.aigateway.governance.spend.SpendLog;
import dev.aigateway.router.DeploymentEvents;
import dev.aigateway.router.DeploymentStats;
import dev.aigateway.router.Router;
import dev.aigateway.server.RequestContext;
import dev.aigateway.server.metrics.PromWriter.Labels;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The gateway's Prometheus metrics. Recording happens once per request, at its end, on the event loop:
 * one map lookup for the request's series (model, deployment, key), then atomic adds. Each series' labels
 * are built once, when it is first seen, never per request; nothing here locks or allocates more than a
 * small key object. Gauges that describe current state (deployment health, budgets, the spend queue) are
 * not recorded at all: they are read from the router, the key registry and the spend log when scraped.
 *
 * <p>Names follow LiteLLM's Prometheus integration where it has the same metric (so its dashboards and
 * alerts keep working), {@code gateway_*} where it has none.
 */
public final class GatewayMetrics implements DeploymentEvents {
    /** Beyond this many request series (key x model x deployment) new ones are folded into one overflow series. */
    static final int MAX_SERIES = 10_000;
    /** Beyond this many (tool, model) series, a tool's further models are counted under requested_model="_other". */
    static final int MAX_CLIENT_SERIES = 2_000;
    private static final Series.Key OVERFLOW_KEY = new Series.Key("_other", "_other", "", "_other", "", "");

    private final Clock clock;
    private final Map<Series.Key, Series> series = new ConcurrentHashMap<>();
    private final Series overflow;
    private final Map<String, Histogram> overheadByModel = new ConcurrentHashMap<>();
    /** Per calling tool and model: the tool is one of a fixed set (ClientClassifier), so this stays small. */
    private final Map<ClientKey, ClientSeries> byClient = new ConcurrentHashMap<>();
    private final Map<DeploymentOutcome, Counted> deploymentFailures = new ConcurrentHashMap<>();
    private final Map<DeploymentOutcome, Counted> cooldowns = new ConcurrentHashMap<>();
    private final AtomicLong inFlight = new AtomicLong();
    private volatile java.util.function.LongSupplier openConnections = () -> 0;
    private volatile java.util.function.LongSupplier refusedConnections = () -> 0;
    private volatile java.util.function.LongSupplier bodyBytes = () -> 0;
    private volatile long bodyCapacity;

    public GatewayMetrics(Clock clock) {
        this.clock = clock;
        this.overflow = new Series(OVERFLOW_KEY, "_other");
    }

    /** Where the transport's figures are read when scraped: open and refused connections, request-body memory. */
    public void transport(java.util.function.LongSupplier open, java.util.function.LongSupplier refused,
                          java.util.function.LongSupplier bodyBytesInUse, long bodyBytesCapacity) {
        this.openConnections = open;
        this.refusedConnections = refused;
        this.bodyBytes = bodyBytesInUse;
        this.bodyCapacity = bodyBytesCapacity;
    }

    /** An LLM request began (for {@code gateway_in_flight_requests}). */
    public void requestStarted() {
        inFlight.incrementAndGet();
    }

    /**
     * An LLM request ended, however it ended. Called once per request by the request's accounting, with the
     * usage figures it already computed.
     */
    public void requestFinished(RequestContext ctx, long promptTokens, long completionTokens, long totalTokens, double cost) {
        inFlight.decrementAndGet();
        Series s = series(ctx.modelName(), ctx.deployment(), ctx.principal());
        int status = ctx.status();
        s.requests.increment();
        s.countStatus(status);
        if (status >= 400) s.countFailure(status, ctx.errorType());
        if (promptTokens > 0) s.inputTokens.add(promptTokens);
        if (completionTokens > 0) s.outputTokens.add(completionTokens);
        if (totalTokens > 0) s.totalTokens.add(totalTokens);
        if (cost > 0) s.spend.add(cost);
        s.latency.observeMillis(ctx.elapsedMillis());
        Long ttft = ctx.timeToFirstTokenMillis();
        if (ttft != null) s.ttft.observeMillis(ttft);
        String model = ctx.modelName() == null ? "" : ctx.modelName();
        ClientSeries c = clientSeries(ctx.origin().client(), model);
        c.requests.increment();
        if (promptTokens > 0) c.inputTokens.add(promptTokens);
        if (completionTokens > 0) c.outputTokens.add(completionTokens);
        if (cost > 0) c.spend.add(cost);
        Histogram overhead = overheadByModel.get(model);
        // Model names are a closed set only without wildcard entries: beyond the bound they share one series.
        if (overhead == null && overheadByModel.size() >= MAX_SERIES) model = "_other";
        if (overhead == null) overhead = overheadByModel.computeIfAbsent(model, m -> new Histogram(Histogram.OVERHEAD_BUCKETS));
        overhead.observeMillis(ctx.reportedOverheadMillis());
    }

    private ClientSeries clientSeries(String client, String model) {
        ClientKey key = new ClientKey(client, model);
        ClientSeries c = byClient.get(key);
        if (c != null) return c;
        // model groups are the configured ones, so this bound is only a backstop (runtime models come and go)
        if (byClient.size() >= MAX_CLIENT_SERIES) key = new ClientKey(client, "_other");
        return byClient.computeIfAbsent(key, k -> new ClientSeries(Labels.of("client", k.client(), "requested_model", k.model())));
    }

    @Override
    public void attemptFailed(Deployment d, String requestedModel, int status) {
        count(deploymentFailures, new DeploymentOutcome(d.id(), requestedModel == null ? d.modelName() : requestedModel, status), d);
    }

    @Override
    public void cooledDown(Deployment d, int status) {
        count(cooldowns, new DeploymentOutcome(d.id(), d.modelName(), status), d);
    }

    private static void count(Map<DeploymentOutcome, Counted> map, DeploymentOutcome key, Deployment d) {
        Counted c = map.get(key);
        if (c == null && map.size() >= MAX_SERIES) { // requested models are client-chosen through wildcard entries
            key = new DeploymentOutcome(key.deploymentId(), "_other", key.status());
            c = map.get(key);
        }
        if (c == null) {
            c = map.computeIfAbsent(key, k -> new Counted(DeploymentLabels.of(d).with(
                    "requested_model", k.requestedModel(), "exception_status", Integer.toString(k.status()))));
        }
        c.count.increment();
    }

    /** Failure series kept (tests: bounded however many requested models fail). */
    int failureSeries() {
        return deploymentFailures.size();
    }

    public long inFlight() {
        return inFlight.get();
    }

    private Series series(String modelName, Deployment d, Principal p) {
        String keyHash = "";
        String alias = "";
        String team = "";
        String user = "";
        if (p != null) {
            VirtualKey k = p.key();
            // The master key's hash is not published: it is the one credential that can do everything.
            if (k != null) {
                keyHash = p.keyHash();
                team = k.teamId() == null ? "" : k.teamId();
                user = k.userId() == null ? "" : k.userId();
            }
            alias = p.alias() == null ? "" : p.alias();
        }
        Series.Key key = new Series.Key(modelName == null ? "" : modelName, d == null ? "" : d.id(), keyHash, alias, team, user);
        Series s = series.get(key);
        if (s != null) return s;
        if (series.size() >= MAX_SERIES) return overflow;
        String litellmModel = d == null ? "" : d.shownModel();
        return series.computeIfAbsent(key, k -> new Series(k, litellmModel));
    }

    /** Renders every metric (gateway, deployments, budgets, spend queue, then the JVM's) in Prometheus' text format. */
    public String scrape(Router router, KeyRegistry keys, SpendLog spendLog, String version, long startedAtMillis) {
        PromWriter w = new PromWriter();
        List<Series> all = List.copyOf(series.values());
        if (overflow.requests.sum() > 0) all = concat(all, overflow);

        w.family("litellm_proxy_total_requests_metric_total", "counter",
                "Requests to the gateway's LLM routes, by model, key and HTTP status of the answer");
        for (Series s : all) s.byStatus.forEach((status, n) -> w.sample("litellm_proxy_total_requests_metric_total",
                s.labels.with("status_code", Integer.toString(status)), n.sum()));
        w.family("litellm_proxy_failed_requests_metric_total", "counter",
                "Requests answered with an error (status >= 400), by model, key, status and error type");
        for (Series s : all) s.failures.forEach((f, n) -> w.sample("litellm_proxy_failed_requests_metric_total",
                s.labels.with("exception_status", Integer.toString(f.status()), "exception_class", f.errorType()), n.sum()));
        counter(w, all, "litellm_requests_metric_total", "LLM requests, by model and key", s -> s.requests.sum());
        counter(w, all, "litellm_input_tokens_metric_total", "Input (prompt) tokens, by model and key", s -> s.inputTokens.sum());
        counter(w, all, "litellm_output_tokens_metric_total", "Output (completion) tokens, by model and key", s -> s.outputTokens.sum());
        counter(w, all, "litellm_total_tokens_metric_total", "Input + output tokens, by model and key", s -> s.totalTokens.sum());
        counter(w, all, "litellm_total_tokens_total", "Input + output tokens (LiteLLM's older name of litellm_total_tokens_metric)",
                s -> s.totalTokens.sum());
        counter(w, all, "litellm_spend_metric_total", "Spend in USD, by model and key", s -> s.spend.sum());

        List<ClientSeries> clients = List.copyOf(byClient.values());
        w.family("gateway_client_requests_total", "counter", "LLM requests by calling tool (from its User-Agent) and model");
        for (ClientSeries c : clients) w.sample("gateway_client_requests_total", c.labels, c.requests.sum());
        w.family("gateway_client_tokens_total", "counter", "Input and output tokens by calling tool and model");
        for (ClientSeries c : clients) {
            w.sample("gateway_client_tokens_total", c.labels.with("direction", "input"), c.inputTokens.sum());
            w.sample("gateway_client_tokens_total", c.labels.with("direction", "output"), c.outputTokens.sum());
        }
        w.family("gateway_client_spend_total", "counter", "Spend in USD by calling tool and model");
        for (ClientSeries c : clients) w.sample("gateway_client_spend_total", c.labels, c.spend.sum());

        w.family("litellm_request_total_latency_metric", "histogram",
                "Total time of a request through the gateway, in seconds (for streams, until the last byte)");
        for (Series s : all) w.histogram("litellm_request_total_latency_metric", s.labels, s.latency);
        w.family("litellm_llm_api_time_to_first_token_metric", "histogram",
                "Streams: time from the request's arrival to the provider's first byte, in seconds");
        for (Series s : all) if (s.ttft.count() > 0) w.histogram("litellm_llm_api_time_to_first_token_metric", s.labels, s.ttft);
        w.family("gateway_overhead_seconds", "histogram",
                "Time a request spent in the gateway itself (total minus waiting for the provider), in seconds");
        overheadByModel.forEach((model, h) -> w.histogram("gateway_overhead_seconds", Labels.of("requested_model", model), h));

        w.family("gateway_in_flight_requests", "gauge", "LLM requests being handled right now (including open streams)");
        w.sample("gateway_in_flight_requests", inFlight.get());

        w.family("gateway_open_connections", "gauge", "Client connections open on this instance");
        w.sample("gateway_open_connections", openConnections.getAsLong());
        w.family("gateway_refused_connections_total", "counter",
                "Client connections closed when accepted because the instance held GATEWAY_MAX_CONNECTIONS already");
        w.sample("gateway_refused_connections_total", refusedConnections.getAsLong());
        w.family("gateway_request_body_memory_bytes", "gauge",
                "Memory held by request bodies and their parsed JSON in flight (limit: gateway_request_body_memory_limit_bytes)");
        w.sample("gateway_request_body_memory_bytes", bodyBytes.getAsLong());
        w.family("gateway_request_body_memory_limit_bytes", "gauge", "What request bodies in flight may hold at once (GATEWAY_BODY_MEMORY_MB)");
        w.sample("gateway_request_body_memory_limit_bytes", bodyCapacity);

        deployments(w, router);
        budgets(w, keys);

        w.family("gateway_spend_queue_rows", "gauge", "Spend rows waiting to be written to the database (memory and journal)");
        w.sample("gateway_spend_queue_rows", spendLog.queued());
        w.family("gateway_spend_queue_oldest_age_seconds", "gauge", "Age of the oldest spend row waiting to be written, 0 when none wait");
        w.sample("gateway_spend_queue_oldest_age_seconds", spendLog.oldestAgeMillis() / 1000.0);

        w.family("gateway_build_info", "gauge", "The gateway's version (value is always 1)");
        w.sample("gateway_build_info", Labels.of("version", version), 1);
        w.family("gateway_start_time_seconds", "gauge", "When this gateway started, in seconds since the epoch");
        w.sample("gateway_start_time_seconds", startedAtMillis / 1000.0);
        JvmMetrics.write(w);
        return w.toString();
    }

    private void deployments(PromWriter w, Router router) {
        long now = clock.millis();
        List<Deployment> all = router.catalog().all();
        w.family("litellm_deployment_state", "gauge",
                "State of each deployment: 0 healthy, 1 cooling down after failures (partial outage), 2 failed its health check");
        for (Deployment d : all) {
            DeploymentStats st = router.stats(d);
            int state = st.healthError() != null ? 2 : st.coolingDown(now) ? 1 : 0;
            w.sample("litellm_deployment_state", DeploymentLabels.of(d), state);
        }
        w.family("gateway_deployment_in_flight_requests", "gauge", "Calls in progress to each deployment (streams until they end)");
        for (Deployment d : all) w.sample("gateway_deployment_in_flight_requests", DeploymentLabels.of(d), router.stats(d).inFlight());
        w.family("litellm_deployment_cooled_down_total", "counter",
                "Times a deployment was put into cooldown, by the HTTP status of the failure that tipped it");
        cooldowns.values().forEach(c -> w.sample("litellm_deployment_cooled_down_total", c.labels, c.count.sum()));
        w.family("litellm_deployment_failure_responses_total", "counter",
                "Failed attempts on each deployment (every retry and fallback attempt counts), by HTTP status");
        deploymentFailures.values().forEach(c -> w.sample("litellm_deployment_failure_responses_total", c.labels, c.count.sum()));
    }

    /**
     * Budgets from the key registry: spend is the figure last loaded from the database (refreshed every few
     * seconds and after each spend batch), so it lags live spend by at most that.
     */
    private void budgets(PromWriter w, KeyRegistry keys) {
        List<VirtualKey> all = List.copyOf(keys.all());
        w.family("litellm_remaining_api_key_budget_metric", "gauge",
                "max_budget minus spend for each virtual key, in USD (+Inf when the key has no budget)");
        for (VirtualKey k : all) {
            double remaining = k.maxBudget() == null ? Double.POSITIVE_INFINITY : k.maxBudget() - k.spend();
            w.sample("litellm_remaining_api_key_budget_metric", keyLabels(k), remaining);
        }
        w.family("litellm_api_key_max_budget_metric", "gauge", "max_budget of each virtual key that has one, in USD");
        for (VirtualKey k : all) if (k.maxBudget() != null) w.sample("litellm_api_key_max_budget_metric", keyLabels(k), k.maxBudget());
        w.family("litellm_api_key_budget_remaining_hours_metric", "gauge", "Hours until each key's budget window resets");
        long now = clock.millis();
        for (VirtualKey k : all) {
            if (k.budgetResetAt() != null) {
                w.sample("litellm_api_key_budget_remaining_hours_metric", keyLabels(k),
                        Math.max(0, k.budgetResetAt().toEpochMilli() - now) / 3_600_000.0);
            }
        }
    }

    private static Labels keyLabels(VirtualKey k) {
        return Labels.of("hashed_api_key", k.tokenHash(), "api_key_alias", k.label());
    }

    private static void counter(PromWriter w, List<Series> all, String name, String help, java.util.function.ToDoubleFunction<Series> value) {
        w.family(name, "counter", help);
        for (Series s : all) w.sample(name, s.labels, value.applyAsDouble(s));
    }

    private static List<Series> concat(List<Series> list, Series extra) {
        java.util.ArrayList<Series> out = new java.util.ArrayList<>(list);
        out.add(extra);
        return out;
    }

    /** The request metrics of one (model, deployment, key) combination. */
    static final class Series {
        record Key(String requestedModel, String deploymentId, String keyHash, String keyAlias, String team, String user) {}

        record Failure(int status, String errorType) {}

        /** Boxed status codes made once, so counting a 200 allocates nothing (Integer caches only up to 127). */
        private static final Integer[] STATUS_KEYS = new Integer[600];

        static {
            for (int i = 0; i < STATUS_KEYS.length; i++) STATUS_KEYS[i] = i;
        }

        final Labels labels;
        final LongAdder requests = new LongAdder();
        final LongAdder inputTokens = new LongAdder();
        final LongAdder outputTokens = new LongAdder();
        final LongAdder totalTokens = new LongAdder();
        final DoubleAdder spend = new DoubleAdder();
        final Histogram latency = new Histogram(Histogram.LATENCY_BUCKETS);
        final Histogram ttft = new Histogram(Histogram.LATENCY_BUCKETS);
        final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>(4);
        final Map<Failure, LongAdder> failures = new ConcurrentHashMap<>(4);

        Series(Key k, String litellmModel) {
            this.labels = Labels.of("requested_model", k.requestedModel(), "model", litellmModel, "model_id", k.deploymentId(),
                    "hashed_api_key", k.keyHash(), "api_key_alias", k.keyAlias(), "team", k.team(), "user", k.user());
        }

        void countStatus(int status) {
            Integer key = status >= 0 && status < STATUS_KEYS.length ? STATUS_KEYS[status] : status;
            LongAdder n = byStatus.get(key);
            if (n == null) n = byStatus.computeIfAbsent(key, x -> new LongAdder());
            n.increment();
        }

        void countFailure(int status, String errorType) {
            Failure f = new Failure(status, errorType == null ? "" : errorType);
            LongAdder n = failures.get(f);
            if (n == null) n = failures.computeIfAbsent(f, x -> new LongAdder());
            n.increment();
        }
    }

    private record ClientKey(String client, String model) {}

    /** The request counters of one (calling tool, model group) pair. */
    private static final class ClientSeries {
        final Labels labels;
        final LongAdder requests = new LongAdder();
        final LongAdder inputTokens = new LongAdder();
        final LongAdder outputTokens = new LongAdder();
        final DoubleAdder spend = new DoubleAdder();

        ClientSeries(Labels labels) {
            this.labels = labels;
        }
    }

    private record DeploymentOutcome(String deploymentId, String requestedModel, int status) {}

    private record Counted(Labels labels, LongAdder count) {
        Counted(Labels labels) {
            this(labels, new LongAdder());
        }
    }

    /**
     * LiteLLM's deployment labels: litellm_model_name, model_id, api_base, api_provider. The api_base label is the
     * deployment's shown form: an os.environ/ reference as written (never its value), a URL with its credentials
     * (user info, query values) masked.
     */
    static final class DeploymentLabels {
        private DeploymentLabels() {}

        static Labels of(Deployment d) {
            String base = d.apiBase() == null ? "" : d.shownApiBase();
            return Labels.of("litellm_model_name", d.shownModel(), "model_id", d.id(),
                    "api_base", base, "api_provider", d.provider(), "model_group", d.modelName());
        }
    }
}
