package dev.aigateway.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.governance.Principal;
import dev.aigateway.governance.keys.KeyRegistry;
import dev.aigateway.governance.keys.VirtualKey;
import dev.aigateway.governance.spend.SpendReports;
import dev.aigateway.governance.spend.SpendReports.DailyColumn;
import dev.aigateway.governance.spend.SpendReports.DayRow;
import dev.aigateway.governance.spend.SpendReports.KeyModelRow;
import dev.aigateway.governance.spend.SpendReports.LogColumn;
import dev.aigateway.governance.spend.SpendReports.Total;
import dev.aigateway.server.RequestContext;
import dev.aigateway.server.RequestPipeline;
import dev.aigateway.server.Responses;
import dev.aigateway.server.Routes;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * LiteLLM's {@code /global/spend/*} routes, which its admin UI and scripts read: the spend report per day and team,
 * customer or key ({@code /global/spend/report}), the last 30 days' total ({@code /global/spend}), per day
 * ({@code /global/spend/logs}), the top keys, models and end users. Admin and read_only keys only. The totals are
 * summed by the database on a worker thread ({@link SpendReports}), each query bounded by its date range and a row limit.
 */
public final class GlobalSpendHandler {
    /** The longest range a report or end-user query may cover. */
    static final int MAX_RANGE_DAYS = 366;
    /** Rows one report reads at most (a wider report is cut there; narrow the dates or filter by key). */
    static final int MAX_REPORT_ROWS = 10_000;
    static final int DEFAULT_TOP = 100;
    static final int MAX_TOP = 1000;
    /** LiteLLM's "global" figures cover the last 30 days. */
    private static final int WINDOW_DAYS = 30;
    private static final long DAY_MILLIS = 86_400_000L;
    /** The POST body of /global/spend/end_users: three short fields. */
    private static final long MAX_BODY_BYTES = 16 * 1024;

    private final RequestPipeline pipeline;
    private final SpendReports reports;
    /** Names keys in the answers (from memory). */
    private final KeyRegistry keys;

    public GlobalSpendHandler(RequestPipeline pipeline, SpendReports reports, KeyRegistry keys) {
        this.pipeline = pipeline;
        this.reports = reports;
        this.keys = keys;
    }

    public void register(Routes routes) {
        routes.add(HttpMethod.GET, "/global/spend", req -> read(req, q -> this::total))
                .add(HttpMethod.GET, "/global/spend/report", req -> read(req, this::report))
                .add(HttpMethod.GET, "/global/spend/logs", req -> read(req, this::perDay))
                .add(HttpMethod.GET, "/global/spend/keys", req -> read(req, this::topKeys))
                .add(HttpMethod.GET, "/global/spend/models", req -> read(req, this::topModels))
                .add(HttpMethod.GET, "/global/spend/end_users", req -> read(req, this::endUsers))
                .add(HttpMethod.GET, "/global/spend/tags", req -> read(req, this::tags))
                .add(HttpMethod.POST, "/global/spend/end_users", this::endUsersPosted);
    }

    /** A query's parameters, checked on the event loop, and the blocking work that answers it. */
    private interface Query {
        Supplier<JsonNode> prepare(MultiMap params);
    }

    private void read(HttpServerRequest req, Query query) {
        RequestContext ctx = pipeline.begin(req);
        try {
            authorize(pipeline.authenticate(ctx));
            answer(ctx, query.prepare(req.params()));
        } catch (RuntimeException e) {
            Responses.error(ctx, e);
        }
    }

    /** LiteLLM takes this one as POST with {@code {"api_key", "startTime", "endTime"}} in the body. */
    private void endUsersPosted(HttpServerRequest req) {
        RequestContext ctx = pipeline.begin(req);
        try {
            authorize(pipeline.authenticate(ctx));
            pipeline.readJsonOrEmpty(ctx, MAX_BODY_BYTES).onComplete(ar -> {
                if (ar.failed()) {
                    Responses.error(ctx, ar.cause());
                    return;
                }
                try {
                    MultiMap params = MultiMap.caseInsensitiveMultiMap();
                    ar.result().properties().forEach(f -> {
                        if (f.getValue().isValueNode() && !f.getValue().isNull()) params.add(f.getKey(), f.getValue().asText());
                    });
                    answer(ctx, endUsers(params));
                } catch (RuntimeException e) {
                    Responses.error(ctx, e);
                }
            });
        } catch (RuntimeException e) {
            Responses.error(ctx, e);
        }
    }

    private static void authorize(Principal p) {
        if (!p.mayReadAdminData()) throw GatewayException.permission("/global/spend needs the master key, an admin key or a read_only key.");
    }

    private void answer(RequestContext ctx, Supplier<JsonNode> work) {
        pipeline.blocking(work::get).onComplete(ar -> {
            if (ar.failed()) Responses.error(ctx, SpendAdminHandler.storeError(ar.cause()));
            else Responses.send(ctx, 200, "application/json", Json.toBuffer(ar.result()));
        });
    }

    // --- the routes

    /** {@code /global/spend}: {@code {"spend": <last 30 days>, "max_budget": null}} (the gateway has no global budget). */
    private JsonNode total() {
        double spend = 0;
        for (Total t : reports.totals(DailyColumn.DAY, windowStart().toString(), today().toString(), null, WINDOW_DAYS + 1)) spend += t.spend();
        ObjectNode o = Json.object();
        o.put("spend", spend);
        o.putNull("max_budget");
        return o;
    }

    /** {@code /global/spend/logs[?api_key=]}: the last 30 days, one row per day: {@code [{"date", "spend"[, "api_key"]}]}. */
    private Supplier<JsonNode> perDay(MultiMap q) {
        String key = SpendAdminHandler.keyHash(q.get("api_key"));
        return () -> {
            ArrayNode out = Json.array();
            for (Total t : reports.totals(DailyColumn.DAY, windowStart().toString(), today().toString(), key, WINDOW_DAYS + 1)) {
                ObjectNode o = out.addObject();
                o.put("date", t.group());
                o.put("spend", t.spend());
                if (key != null) o.put("api_key", key);
            }
            return out;
        };
    }

    /** {@code /global/spend/keys[?limit=]}: the keys that spent most in the last 30 days. */
    private Supplier<JsonNode> topKeys(MultiMap q) {
        int limit = SpendAdminHandler.intParam(q.get("limit"), "limit", DEFAULT_TOP, 1, MAX_TOP);
        return () -> {
            ArrayNode out = Json.array();
            for (Total t : reports.totals(DailyColumn.KEY, windowStart().toString(), today().toString(), null, limit)) {
                ObjectNode o = out.addObject();
                o.put("api_key", t.group());
                o.put("total_spend", t.spend());
                VirtualKey k = t.group() == null || t.group().isEmpty() ? null : keys.find(t.group());
                o.put("key_alias", k == null ? null : k.keyAlias());
                o.put("key_name", k == null ? null : k.keyName());
            }
            return out;
        };
    }

    /** {@code /global/spend/models[?limit=]}: the models that cost most in the last 30 days. */
    private Supplier<JsonNode> topModels(MultiMap q) {
        int limit = SpendAdminHandler.intParam(q.get("limit"), "limit", DEFAULT_TOP, 1, MAX_TOP);
        return () -> {
            ArrayNode out = Json.array();
            for (Total t : reports.totals(DailyColumn.MODEL, windowStart().toString(), today().toString(), null, limit)) {
                ObjectNode o = out.addObject();
                o.put("model", t.group());
                o.put("total_spend", t.spend());
            }
            return out;
        };
    }

    /** {@code /global/spend/end_users}: end users (LiteLLM's customers) by spend, default the last 30 days. */
    private Supplier<JsonNode> endUsers(MultiMap q) {
        String key = SpendAdminHandler.keyHash(q.get("api_key"));
        long[] range = range(q);
        int limit = SpendAdminHandler.intParam(q.get("limit"), "limit", DEFAULT_TOP, 1, MAX_TOP);
        return () -> {
            ArrayNode out = Json.array();
            for (Total t : reports.endUsers(range[0], range[1], key, limit)) {
                ObjectNode o = out.addObject();
                o.put("end_user", t.group());
                o.put("total_spend", t.spend());
                o.put("total_count", t.requests());
            }
            return out;
        };
    }

    /**
     * {@code /global/spend/tags[?start_date=&end_date=&tags=a,b]}: spend per request tag, highest first, as
     * {@code {"spend_per_tag": [{"name", "spend", "log_count"}]}}. The tags are those /spend/logs shows (made from the
     * User-Agent), so a request counts under its product tag and its full User-Agent tag.
     */
    private Supplier<JsonNode> tags(MultiMap q) {
        long[] range = range(q);
        String only = SpendAdminHandler.blankToNull(q.get("tags"));
        List<String> wanted = only == null ? List.of() : List.of(only.split(","));
        if (wanted.size() > MAX_TOP) throw GatewayException.badRequest("tags may name at most " + MAX_TOP + " tags.", "tags");
        return () -> {
            Map<String, double[]> perTag = new LinkedHashMap<>();
            for (Total t : reports.userAgents(range[0], range[1], MAX_REPORT_ROWS)) {
                for (String tag : SpendAdminHandler.requestTags(t.group())) {
                    if (!wanted.isEmpty() && !wanted.contains(tag)) continue;
                    double[] sum = perTag.computeIfAbsent(tag, k -> new double[2]);
                    sum[0] += t.spend();
                    sum[1] += t.requests();
                }
            }
            List<Map.Entry<String, double[]>> sorted = new ArrayList<>(perTag.entrySet());
            sorted.sort((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0]));
            ObjectNode out = Json.object();
            ArrayNode list = out.putArray("spend_per_tag");
            for (Map.Entry<String, double[]> e : sorted) {
                list.addObject().put("name", e.getKey()).put("spend", e.getValue()[0]).put("log_count", (long) e.getValue()[1]);
            }
            return out;
        };
    }

    /**
     * A time range from {@code startTime}/{@code endTime} (LiteLLM's body names) or {@code start_date}/{@code end_date}:
     * by default the last 30 days, at most {@link #MAX_RANGE_DAYS}; {@code [from, to)} in epoch milliseconds.
     */
    private static long[] range(MultiMap q) {
        String fromParam = q.contains("startTime") ? "startTime" : "start_date";
        String toParam = q.contains("endTime") ? "endTime" : "end_date";
        Long from = SpendAdminHandler.start(q.get(fromParam), fromParam);
        Long to = SpendAdminHandler.end(q.get(toParam), toParam);
        long end = to != null ? to : today().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        long start = from != null ? from : end - WINDOW_DAYS * DAY_MILLIS;
        checkRange(start, end, fromParam);
        return new long[]{start, end};
    }

    /**
     * {@code /global/spend/report?start_date=&end_date=[&group_by=team|customer|api_key][&api_key=]}, LiteLLM's shapes:
     * per day and team ({@code teams}) or customer ({@code customers}), each with its total and its spend per model and
     * key ({@code metadata}); or per key with its spend per model ({@code model_details}).
     */
    private Supplier<JsonNode> report(MultiMap q) {
        String groupBy = Objects.requireNonNullElse(SpendAdminHandler.blankToNull(q.get("group_by")), "team");
        if (!List.of("team", "customer", "api_key").contains(groupBy)) {
            throw GatewayException.badRequest("group_by must be 'team', 'customer' or 'api_key', not '"
                    + SpendAdminHandler.abbreviate(groupBy) + "'.", "group_by");
        }
        if (SpendAdminHandler.blankToNull(q.get("start_date")) == null || SpendAdminHandler.blankToNull(q.get("end_date")) == null) {
            throw GatewayException.badRequest("start_date and end_date are required (YYYY-MM-DD).",
                    SpendAdminHandler.blankToNull(q.get("start_date")) == null ? "start_date" : "end_date");
        }
        LocalDate fromDay = SpendAdminHandler.day(q.get("start_date"), "start_date", null);
        LocalDate toDay = SpendAdminHandler.day(q.get("end_date"), "end_date", null);
        long from = fromDay.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        long to = toDay.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        checkRange(from, to, "start_date");
        String key = SpendAdminHandler.keyHash(q.get("api_key"));
        return switch (groupBy) {
            case "api_key" -> () -> byKey(reports.byKeyAndModel(fromDay.toString(), toDay.toString(), key, MAX_REPORT_ROWS));
            case "customer" -> () -> byDay(reports.byDay(LogColumn.END_USER, from, to, key, MAX_REPORT_ROWS), "customers", "customer");
            default -> () -> byDay(reports.byDay(LogColumn.TEAM, from, to, key, MAX_REPORT_ROWS), "teams", "team_name");
        };
    }

    private static void checkRange(long from, long to, String param) {
        if (from >= to) throw GatewayException.badRequest("The start must be before the end.", param);
        if (to - from > MAX_RANGE_DAYS * DAY_MILLIS) {
            throw GatewayException.badRequest("The range may cover at most " + MAX_RANGE_DAYS + " days; ask for it in parts.", param);
        }
    }

    // --- shapes

    private static ArrayNode byDay(List<DayRow> rows, String listField, String nameField) {
        Map<String, Map<String, List<DayRow>>> days = new LinkedHashMap<>();
        for (DayRow r : rows) {
            days.computeIfAbsent(r.day(), d -> new LinkedHashMap<>()).computeIfAbsent(r.group(), g -> new ArrayList<>()).add(r);
        }
        ArrayNode out = Json.array();
        days.forEach((day, groups) -> {
            ObjectNode d = out.addObject();
            d.put("group_by_day", day + "T00:00:00+00:00");
            ArrayNode list = d.putArray(listField);
            groups.forEach((name, parts) -> {
                ObjectNode g = list.addObject();
                String alias = parts.get(0).alias();
                g.put(nameField, alias != null ? alias : name); // LiteLLM names a team by its alias
                if (alias != null) g.put("team_id", name);
                double total = 0;
                ArrayNode meta = g.putArray("metadata");
                for (DayRow r : parts) {
                    total += r.spend();
                    ObjectNode m = meta.addObject();
                    m.put("model", r.model());
                    m.put("spend", r.spend());
                    m.put("total_tokens", r.totalTokens());
                    m.put("api_key", r.keyHash());
                }
                g.put("total_spend", total);
            });
        });
        return out;
    }

    private static ArrayNode byKey(List<KeyModelRow> rows) {
        Map<String, List<KeyModelRow>> perKey = new LinkedHashMap<>();
        for (KeyModelRow r : rows) perKey.computeIfAbsent(r.keyHash(), k -> new ArrayList<>()).add(r);
        ArrayNode out = Json.array();
        perKey.forEach((key, parts) -> {
            ObjectNode k = out.addObject();
            k.put("api_key", key);
            double cost = 0;
            long in = 0;
            long outTokens = 0;
            ArrayNode details = Json.array();
            for (KeyModelRow r : parts) {
                cost += r.spend();
                in += r.promptTokens();
                outTokens += r.completionTokens();
                ObjectNode m = details.addObject();
                m.put("model", r.model());
                m.put("total_cost", r.spend());
                m.put("total_input_tokens", r.promptTokens());
                m.put("total_output_tokens", r.completionTokens());
            }
            k.put("total_cost", cost);
            k.put("total_input_tokens", in);
            k.put("total_output_tokens", outTokens);
            k.set("model_details", details);
        });
        return out;
    }

    private static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    private static LocalDate windowStart() {
        return today().minus(WINDOW_DAYS - 1, ChronoUnit.DAYS);
    }
}
