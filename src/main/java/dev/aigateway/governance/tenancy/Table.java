package dev.aigateway.governance.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;
import dev.aigateway.db.Columns;
import dev.aigateway.db.StoreException;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One tenancy table and the record it holds: its columns are the record's fields in snake_case ({@link TenancyJson}),
 * so a row is read into the record's JSON form and bound from it. Columns are declared {@code name:kind}; a bare name
 * is text.
 *
 * @param keys the primary key's columns
 */
public record Table<T>(String name, Class<T> type, List<String> keys, List<Column> columns) {

    /** How a column is held: JSON-valued columns are TEXT, times epoch milliseconds. */
    enum Kind { TEXT, NUMBER, INTEGER, BOOLEAN, JSON, TIME }

    record Column(String name, Kind kind) {}

    public static final Table<Budget> BUDGETS = of("budgets", Budget.class, "budget_id",
            "budget_id max_budget:number soft_budget:number max_parallel_requests:integer tpm_limit:integer rpm_limit:integer "
                    + "model_max_budget:json budget_duration created_at:time updated_at:time created_by updated_by");
    public static final Table<Organization> ORGANIZATIONS = of("organizations", Organization.class, "organization_id",
            "organization_id organization_alias budget_id models:json metadata:json spend:number model_spend:json "
                    + "budget_reset_at:time blocked:boolean created_at:time updated_at:time created_by updated_by");
    public static final Table<OrganizationMember> ORGANIZATION_MEMBERS = of("organization_members", OrganizationMember.class,
            "organization_id user_id", "organization_id user_id user_role budget_id spend:number created_at:time updated_at:time");
    public static final Table<Team> TEAMS = of("teams", Team.class, "team_id",
            "team_id team_alias organization_id models:json metadata:json max_budget:number soft_budget:number budget_duration "
                    + "budget_reset_at:time rpm_limit:integer tpm_limit:integer max_parallel_requests:integer model_max_budget:json "
                    + "spend:number model_spend:json member_budget_id blocked:boolean created_at:time updated_at:time created_by updated_by");
    public static final Table<TeamMember> TEAM_MEMBERS = of("team_members", TeamMember.class, "team_id user_id",
            "team_id user_id role budget_id spend:number budget_reset_at:time created_at:time updated_at:time");
    public static final Table<User> USERS = of("users", User.class, "user_id",
            "user_id user_alias user_email user_role organization_id models:json metadata:json max_budget:number soft_budget:number "
                    + "budget_duration budget_reset_at:time rpm_limit:integer tpm_limit:integer max_parallel_requests:integer "
                    + "model_max_budget:json spend:number model_spend:json sso_user_id created_at:time updated_at:time created_by");
    public static final Table<EndUser> END_USERS = of("end_users", EndUser.class, "user_id",
            "user_id alias budget_id allowed_model_region default_model blocked:boolean spend:number budget_reset_at:time "
                    + "created_at:time updated_at:time");

    /** Columns an update leaves alone: the key, spend (only the spend writer adds to it), and who created the row when. */
    private static final List<String> WRITE_ONCE = List.of("spend", "model_spend", "created_at", "created_by");

    static <T> Table<T> of(String name, Class<T> type, String keys, String columns) {
        List<Column> cols = new ArrayList<>();
        for (String c : columns.split(" ")) {
            int colon = c.indexOf(':');
            cols.add(colon < 0 ? new Column(c, Kind.TEXT)
                    : new Column(c.substring(0, colon), Kind.valueOf(c.substring(colon + 1).toUpperCase(java.util.Locale.ROOT))));
        }
        return new Table<>(name, type, List.of(keys.split(" ")), List.copyOf(cols));
    }

    String columnList() {
        return String.join(", ", columns.stream().map(Column::name).toList());
    }

    /** The columns an update writes, in binding order. */
    List<Column> mutable() {
        return columns.stream().filter(c -> !keys.contains(c.name()) && !WRITE_ONCE.contains(c.name())).toList();
    }

    String keyCondition() {
        return String.join(" AND ", keys.stream().map(k -> k + " = ?").toList());
    }

    boolean has(String column) {
        return columns.stream().anyMatch(c -> c.name().equals(column));
    }

    T read(ResultSet rs) throws SQLException {
        ObjectNode o = Json.object();
        for (Column c : columns) {
            String n = c.name();
            switch (c.kind()) {
                case TEXT -> o.put(n, rs.getString(n));
                case NUMBER -> { Double v = Columns.getDouble(rs, n); if (v == null) o.putNull(n); else o.put(n, v); }
                case INTEGER -> { Long v = Columns.getLong(rs, n); if (v == null) o.putNull(n); else o.put(n, v); }
                case TIME -> { Instant v = Columns.getInstant(rs, n); if (v == null) o.putNull(n); else o.put(n, v.toEpochMilli()); }
                case BOOLEAN -> o.put(n, rs.getBoolean(n));
                case JSON -> o.set(n, parse(rs.getString(n)));
            }
        }
        return TenancyJson.to(o, type);
    }

    /** Binds {@code cols} of {@code row} from index {@code i}; returns the next index. */
    int bind(PreparedStatement ps, int i, ObjectNode row, List<Column> cols) throws SQLException {
        for (Column c : cols) {
            JsonNode v = row.get(c.name());
            boolean none = v == null || v.isNull();
            switch (c.kind()) {
                case TEXT -> ps.setString(i, none ? null : v.asText());
                case NUMBER -> { if (none) ps.setNull(i, Types.DOUBLE); else ps.setDouble(i, v.asDouble()); }
                case INTEGER -> { if (none) ps.setNull(i, Types.BIGINT); else ps.setLong(i, v.asLong()); }
                case TIME -> { if (none) ps.setNull(i, Types.BIGINT); else ps.setLong(i, Instant.parse(v.asText()).toEpochMilli()); }
                case BOOLEAN -> ps.setBoolean(i, !none && v.asBoolean());
                case JSON -> ps.setString(i, none ? "{}" : v.toString());
            }
            i++;
        }
        return i;
    }

    private JsonNode parse(String text) {
        try {
            return text == null ? Json.object() : Json.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new StoreException("Corrupt " + name + " row: " + e.getMessage());
        }
    }
}
