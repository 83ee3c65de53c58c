package dev.aigateway.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.db.StoreException;
import dev.aigateway.governance.Authenticator;
import dev.aigateway.governance.Principal;
import dev.aigateway.governance.RequestTimes;
import dev.aigateway.governance.keys.KeyRegistry;
import dev.aigateway.governance.keys.KeyStore;
import dev.aigateway.governance.keys.VirtualKey;
import dev.aigateway.governance.spend.SpendRecord;
import dev.aigateway.governance.spend.SpendStore;
import dev.aigateway.governance.spend.SpendStore.DailyClientSpend;
import dev.aigateway.governance.spend.SpendStore.DailyQuery;
import dev.aigateway.governance.spend.SpendStore.DailySpend;
import dev.aigateway.governance.spend.SpendStore.LogQuery;
import dev.aigateway.server.RequestContext;
import dev.aigateway.server.RequestPipeline;
import dev.aigateway.server.Responses;
import dev.aigateway.server.Routes;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code GET /spend/logs} and {@code GET /spend/daily}: LiteLLM's spend-log rows, newest first and paged,
 * and the per-day per-key per-model totals the UI charts ({@code group_by=client}: per calling tool instead). Admin keys see everything; a normal key sees only
 * its own rows (the api_key filter is forced to its hash), as in LiteLLM. Queries run on worker threads.
 *
 * <p>Dates: {@code YYYY-MM-DD} (UTC days; end_date includes its whole day), {@code YYYY-MM-DD HH:MM:SS}
 * (UTC, as LiteLLM's UI sends), or ISO-8601 instants; an end date with a time is inclusive to the millisecond.
 */
public final class SpendAdminHandler {
    public static final int DEFAULT_PAGE_SIZE = 50;
    public static final int MAX_PAGE_SIZE = 1000;
    /** The last page that may be asked for: a billion rows in (deeper pages are better reached by narrowing the dates). */
    public static final int MAX_PAGE = 1_000_000;
    /** /spend/daily without dates: the last 30 days. */
    private static final int DEFAULT_DAILY_DAYS = 30;
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final Set<String> STATUSES = Set.of("success", "failure");

    private final RequestPipeline pipeline;
    private final SpendStore store;
    /** Names keys in the answers (from memory). */
    private final KeyRegistry keys;
    /** Finds a key_alias filter's key (a stored key may not be in memory yet). */
    private final KeyStore keyStore;

    public SpendAdminHandler(RequestPipeline pipeline, SpendStore store, KeyRegistry keys, KeyStore keyStore) {
        this.pipeline = pipeline;
        this.store = store;
        this.keys = keys;
        this.keyStore = keyStore;
    }

    public void register(Routes routes) {
        routes.add(HttpMethod.GET, "/spend/logs", this::logs);
        routes.add(HttpMethod.GET, "/spend/daily", this::daily);
    }

    public void logs(HttpServerRequest req) {
        RequestContext ctx = pipeline.begin(req);
        try {
            Principal p = pipeline.authenticate(ctx);
            MultiMap q = req.params();
            String keyHash = ownKeyFilter(p, keyHash(q.get("api_key")));
            String alias = blankToNull(q.get("key_alias"));
            String status = blankToNull(q.get("status"));
            if (status != null && !STATUSES.contains(status)) {
                throw GatewayException.badRequest("status must be 'success' or 'failure', not '" + status + "'.", "status");
            }
            Long from = start(q.get("start_date"), "start_date");
            Long to = end(q.get("end_date"), "end_date");
            if (from != null && to != null && from >= to) {
                throw GatewayException.badRequest("start_date must be before end_date.", "start_date");
            }
            int page = intParam(q.get("page"), "page", 1, 1, MAX_PAGE);
            int size = intParam(q.get("page_size"), "page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
            LogQuery query = new LogQuery(keyHash, alias, blankToNull(q.get("request_id")), blankToNull(q.get("user_id")),
                    blankToNull(q.get("model")), status, blankToNull(q.get("end_user")), from, to, size, (long) (page - 1) * size);
            pipeline.blocking(() -> store.logs(narrowAlias(query))).onComplete(ar -> {
                if (ar.failed()) {
                    Responses.error(ctx, storeError(ar.cause()));
                    return;
                }
                ArrayNode out = Json.array();
                for (SpendRecord r : ar.result()) out.add(row(r));
                Responses.send(ctx, 200, "application/json", Json.toBuffer(out));
            });
        } catch (RuntimeException e) {
            Responses.error(ctx, e);
        }
    }

    public void daily(HttpServerRequest req) {
        RequestContext ctx = pipeline.begin(req);
        try {
            Principal p = pipeline.authenticate(ctx);
            MultiMap q = req.params();
            String keyHash = ownKeyFilter(p, keyHash(q.get("api_key")));
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            LocalDate to = day(q.get("end_date"), "end_date", today);
            LocalDate from = day(q.get("start_date"), "start_date", to.minusDays(DEFAULT_DAILY_DAYS - 1));
            if (from.isAfter(to)) throw GatewayException.badRequest("start_date must not be after end_date.", "start_date");
            String groupBy = blankToNull(q.get("group_by"));
            if (groupBy != null) {
                dailyByClient(ctx, groupBy, from, to, keyHash, blankToNull(q.get("model")));
                return;
            }
            DailyQuery query = new DailyQuery(from.toString(), to.toString(), keyHash, blankToNull(q.get("model")));
            pipeline.blocking(() -> store.daily(query)).onComplete(ar -> {
                if (ar.failed()) {
                    Responses.error(ctx, storeError(ar.cause()));
                    return;
                }
                ArrayNode out = Json.array();
                for (DailySpend d : ar.result()) out.add(daily(d));
                Responses.send(ctx, 200, "application/json", Json.toBuffer(out));
            });
        } catch (RuntimeException e) {
            Responses.error(ctx, e);
        }
    }

    /**
     * {@code /spend/daily?group_by=client}: the same totals per day, key and calling tool (daily_client_spend). Tools
     * are not booked per model, so a model filter cannot apply.
     */
    private void dailyByClient(RequestContext ctx, String groupBy, LocalDate from, LocalDate to, String keyHash, String model) {
        if (!"client".equals(groupBy)) {
            throw GatewayException.badRequest("group_by must be 'client', not '" + abbreviate(groupBy) + "'.", "group_by");
        }
        if (model != null) throw GatewayException.badRequest("model cannot be combined with group_by=client.", "model");
        pipeline.blocking(() -> store.dailyClients(from.toString(), to.toString(), keyHash)).onComplete(ar -> {
            if (ar.failed()) {
                Responses.error(ctx, storeError(ar.cause()));
                return;
            }
            ArrayNode out = Json.array();
            for (DailyClientSpend d : ar.result()) {
                ObjectNode o = dayKey(d.day(), d.keyHash());
                o.put("client", d.client());
                totals(o, d.requests(), d.failures(), d.promptTokens(), d.completionTokens(), d.cost());
                out.add(o);
            }
            Responses.send(ctx, 200, "application/json", Json.toBuffer(out));
        });
    }

    // --- shapes

    /** A row shaped like LiteLLM's SpendLogs. */
    private static ObjectNode row(SpendRecord r) {
        ObjectNode o = Json.object();
        o.put("request_id", r.requestId());
        o.put("client_request_id", r.clientRequestId()); // the caller's x-request-id, null when it sent none
        o.put("call_type", litellmCallType(r.callType()));
        o.put("api_key", r.keyHash() == null ? "" : r.keyHash());
        o.put("spend", r.cost());
        o.put("total_tokens", r.totalTokens());
        o.put("prompt_tokens", r.promptTokens());
        o.put("completion_tokens", r.completionTokens());
        o.put("startTime", iso(r.startTime()));
        o.put("endTime", iso(r.endTime()));
        o.put("completionStartTime", iso(r.firstTokenMs() == null ? r.endTime() : r.startTime() + r.firstTokenMs()));
        o.put("model", r.model() == null ? "" : r.model());
        o.put("model_group", r.modelGroup() == null ? "" : r.modelGroup());
        o.put("model_id", r.deploymentId() == null ? "" : r.deploymentId());
        o.put("custom_llm_provider", r.provider() == null ? "" : r.provider());
        o.put("user", r.userId() == null ? "" : r.userId());
        o.put("team_id", r.teamId() == null ? "" : r.teamId());
        o.put("end_user", r.endUser() == null ? "" : r.endUser()); // LiteLLM's names and empty values
        o.put("session_id", r.sessionId() == null ? "" : r.sessionId());
        ArrayNode tags = o.putArray("request_tags");
        requestTags(r.userAgent()).forEach(tags::add);
        o.put("status", r.status());
        ObjectNode m = o.putObject("metadata");
        if (r.keyAlias() != null) m.put("user_api_key_alias", r.keyAlias());
        m.put("key_alias", r.keyAlias());
        m.put("status", r.status());
        m.put("http_status", r.httpStatus());
        m.put("error_type", r.errorType());
        m.put("stream", r.stream());
        m.put("cached_tokens", r.cachedTokens());
        if (r.firstTokenMs() == null) m.putNull("time_to_first_token_ms");
        else m.put("time_to_first_token_ms", r.firstTokenMs());
        m.put("attempts", r.attempts());
        if (r.fallbackModel() != null) m.put("fallback_model", r.fallbackModel());
        m.put("client", r.client() == null ? "unknown" : r.client());
        m.put("user_agent", r.userAgent());
        return o;
    }

    private ObjectNode daily(DailySpend d) {
        ObjectNode o = dayKey(d.day(), d.keyHash());
        if (d.modelGroup().isEmpty()) o.putNull("model");
        else o.put("model", d.modelGroup());
        totals(o, d.requests(), d.failures(), d.promptTokens(), d.completionTokens(), d.cost());
        return o;
    }

    /** A daily row's day and key (with the key's alias, from memory). */
    private ObjectNode dayKey(String day, String keyHash) {
        ObjectNode o = Json.object();
        o.put("date", day);
        if (keyHash.isEmpty()) o.putNull("api_key");
        else o.put("api_key", keyHash);
        VirtualKey k = keyHash.isEmpty() ? null : keys.find(keyHash);
        if (k != null && k.keyAlias() != null) o.put("key_alias", k.keyAlias());
        return o;
    }

    private static void totals(ObjectNode o, long requests, long failures, long prompt, long completion, double cost) {
        o.put("requests", requests);
        o.put("successful_requests", requests - failures);
        o.put("failures", failures);
        o.put("prompt_tokens", prompt);
        o.put("completion_tokens", completion);
        o.put("total_tokens", prompt + completion);
        o.put("spend", cost);
    }

    /** A request's tags as LiteLLM tags one from its User-Agent: the product, then the whole User-Agent (none without one). */
    static List<String> requestTags(String userAgent) {
        if (userAgent == null) return List.of();
        int slash = userAgent.indexOf('/');
        if (slash > 0) return List.of("User-Agent: " + userAgent.substring(0, slash), "User-Agent: " + userAgent);
        return List.of("User-Agent: " + userAgent);
    }

    /** LiteLLM's names for the routes' call types (what its spend logs show); others as stored. */
    static String litellmCallType(String callType) {
        if (callType == null) return "";
        return switch (callType) {
            case "chat" -> "acompletion";
            case "embedding" -> "aembedding";
            case "completion" -> "atext_completion";
            case "messages" -> "anthropic_messages";
            case "responses" -> "aresponses";
            default -> callType;
        };
    }

    private static String iso(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    // --- parameters

    /** A non-admin key may only read its own rows: its hash is the filter, and asking for another key is a 403. */
    private static String ownKeyFilter(Principal p, String requested) {
        if (p.admin()) return requested;
        if (requested != null && !requested.equals(p.keyHash())) {
            throw GatewayException.permission("This key may only read its own spend logs; api_key names another key.");
        }
        return p.keyHash();
    }

    /** api_key is a full key ({@code sk-...}) or its SHA-256 hash, as LiteLLM accepts both. */
    static String keyHash(String apiKey) {
        String k = blankToNull(apiKey);
        if (k == null) return null;
        return SHA256_HEX.matcher(k).matches() ? k : Authenticator.hash(k);
    }

    /**
     * key_alias has no index of its own: when the key still exists, the filter is narrowed to its hash so the
     * (key_hash, start_time) index serves it (blocking: a lookup by the unique key_alias).
     */
    private LogQuery narrowAlias(LogQuery q) {
        if (q.keyAlias() == null || q.keyHash() != null) return q;
        return keyStore.byAlias(q.keyAlias())
                .map(k -> new LogQuery(k.tokenHash(), q.keyAlias(), q.requestId(), q.userId(), q.modelGroup(), q.status(), q.endUser(),
                        q.from(), q.to(), q.limit(), q.offset()))
                .orElse(q);
    }

    static Long start(String value, String param) {
        String v = blankToNull(value);
        if (v == null) return null;
        if (v.length() == 10) return date(v, param).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        return instant(v, param).toEpochMilli();
    }

    /** Exclusive upper bound: a bare date includes its whole day, a time includes its millisecond. */
    static Long end(String value, String param) {
        String v = blankToNull(value);
        if (v == null) return null;
        if (v.length() == 10) return date(v, param).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        return instant(v, param).toEpochMilli() + 1;
    }

    static LocalDate day(String value, String param, LocalDate otherwise) {
        String v = blankToNull(value);
        if (v == null) return otherwise;
        if (v.length() == 10) return date(v, param);
        return instant(v, param).atZone(ZoneOffset.UTC).toLocalDate();
    }

    private static LocalDate date(String v, String param) {
        LocalDate d = RequestTimes.date(v);
        if (d == null) throw badDate(v, param);
        return d;
    }

    private static Instant instant(String v, String param) {
        Instant t = RequestTimes.instant(v);
        if (t == null) throw badDate(v, param);
        return t;
    }

    private static GatewayException badDate(String v, String param) {
        return GatewayException.badRequest(param + " must be a date (YYYY-MM-DD) or an ISO-8601 time (2025-01-31T12:00:00Z), "
                + RequestTimes.RANGE + ", not '" + abbreviate(v) + "'.", param);
    }

    /** A client's value repeated in a message, cut short: it may be anything. */
    static String abbreviate(String v) {
        return v.length() <= 40 ? v : v.substring(0, 37) + "...";
    }

    static int intParam(String value, String param, int otherwise, int min, int max) {
        String v = blankToNull(value);
        if (v == null) return otherwise;
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw GatewayException.badRequest(param + " must be a whole number from " + min
                + " to " + max + ", not '" + abbreviate(v) + "'.", param);
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    static Throwable storeError(Throwable t) {
        if (t instanceof StoreException) {
            return GatewayException.unavailable("The database is unavailable, try again shortly: " + t.getMessage());
        }
        return t;
    }
}
