package dev.aigateway.governance.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.db.Columns;
import dev.aigateway.db.Database;
import dev.aigateway.db.StoreException;
import dev.aigateway.governance.Principal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Stored Responses-API responses in the {@code responses} table (blocking JDBC: call from worker threads, never from
 * an event loop; {@link ResponseState} is the asynchronous face the routes use). The same SQL runs on SQLite and
 * PostgreSQL, so a response written by one instance is read at once by every other on the same database.
 *
 * <p>Why in governance: what this class decides is who may read what (a response is bound to the key that created it:
 * another key gets 403, the master key reads all) and how long it is kept (retention), like the spend store beside it;
 * the translation of the items into a provider's wire format stays with the providers.
 *
 * <p>Bounded: a row holds at most {@link #MAX_STORED_CHARS} characters of JSON (larger: 413, nothing stored), and a
 * continuation carries at most {@link #MAX_CONVERSATION_CHARS} characters of earlier items over at most
 * {@link #MAX_CHAIN} earlier responses (longer: 413 / 400 naming {@code previous_response_id}).
 */
public final class ResponseStore {
    /** The JSON text (items, Response object, instructions, usage) one stored response may hold. */
    public static final int MAX_STORED_CHARS = 8 * 1024 * 1024;
    /** The earlier turns' items a continuation may carry (what is then sent to the provider, with the new input). */
    public static final int MAX_CONVERSATION_CHARS = 8 * 1024 * 1024;
    /** The earlier responses one continuation may reach back through. */
    public static final int MAX_CHAIN = 1000;
    /** The longest response id looked up (ids are the gateway's or a provider's: far shorter). */
    static final int MAX_ID = 128;

    private static final String COLUMNS = "id, key_hash, previous_response_id, deployment_id, provider_state, model, created_at, "
            + "status, instructions, input_items, output_items, response, usage_json";

    private final Database db;

    public ResponseStore(Database db) {
        this.db = db;
    }

    /**
     * Stores (or replaces: a response stored while in progress, then completed) one response; durable when this returns.
     * A row over {@link #MAX_STORED_CHARS} is refused with 413 and nothing is written.
     */
    public void save(StoredResponse r) {
        String instructions = r.instructions() == null || r.instructions().isNull() ? null : Json.toString(r.instructions());
        String input = Json.toString(r.inputItems());
        String output = Json.toString(r.outputItems());
        String response = Json.toString(r.response());
        String usage = r.usage() == null || r.usage().isNull() ? null : Json.toString(r.usage());
        long chars = (long) input.length() + output.length() + response.length()
                + (instructions == null ? 0 : instructions.length()) + (usage == null ? 0 : usage.length());
        if (chars > MAX_STORED_CHARS) {
            throw GatewayException.bodyTooLarge("The response is too large to store (" + chars + " characters of JSON; the gateway keeps at most "
                    + MAX_STORED_CHARS + " per response). Send the request with \"store\": false, or with less input.");
        }
        String model = r.model() == null || r.model().length() <= 255 ? r.model() : r.model().substring(0, 255);
        String sql = "INSERT INTO responses (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) "
                + "ON CONFLICT (id) DO UPDATE SET status = excluded.status, output_items = excluded.output_items, "
                + "response = excluded.response, usage_json = excluded.usage_json, model = excluded.model, "
                + "deployment_id = excluded.deployment_id, provider_state = excluded.provider_state";
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, r.id());
            ps.setString(2, r.keyHash());
            ps.setString(3, r.previousResponseId());
            ps.setString(4, r.deploymentId());
            ps.setBoolean(5, r.providerState());
            ps.setString(6, model);
            Columns.setInstant(ps, 7, r.createdAt());
            ps.setString(8, r.status());
            ps.setString(9, instructions);
            ps.setString(10, input);
            ps.setString(11, output);
            ps.setString(12, response);
            ps.setString(13, usage);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("Cannot store the response: " + Database.rootMessage(e));
        }
    }

    /** The stored response with this id, whoever created it (no access check: {@link #get} is the caller's read). */
    public Optional<StoredResponse> find(String id) {
        if (!validId(id)) return Optional.empty();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM responses WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot read stored responses: " + Database.rootMessage(e));
        }
    }

    /** The response as {@code caller} may read it: 404 when there is none, 403 when another key created it. */
    public StoredResponse get(String id, Principal caller) {
        StoredResponse r = find(id).orElseThrow(() -> notFound(id));
        checkOwner(r, caller);
        return r;
    }

    /** Deletes the caller's response (404 / 403 as {@link #get}). */
    public void delete(String id, Principal caller) {
        get(id, caller);
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("DELETE FROM responses WHERE id = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("Cannot delete the response: " + Database.rootMessage(e));
        }
    }

    /** One page of {@code GET /v1/responses/{id}/input_items}: which items, in which order. */
    public record Page(String after, String before, int limit, boolean ascending) {
        public static final int DEFAULT_LIMIT = 20;
        public static final int MAX_LIMIT = 100;
        public static final Page FIRST = new Page(null, null, DEFAULT_LIMIT, false);
    }

    /**
     * The response's own input items in OpenAI's list shape ({@code object: list, data, first_id, last_id, has_more});
     * newest first unless {@code ascending}. An {@code after}/{@code before} id that is not one of its items is a 400.
     */
    public ObjectNode inputItems(String id, Principal caller, Page page) {
        ArrayNode items = get(id, caller).inputItems();
        List<JsonNode> ordered = new ArrayList<>(items.size());
        items.forEach(ordered::add);
        if (!page.ascending()) java.util.Collections.reverse(ordered);
        int from = 0, to = ordered.size();
        if (page.after() != null) from = indexOf(ordered, page.after(), "after") + 1;
        if (page.before() != null) to = indexOf(ordered, page.before(), "before");
        ObjectNode out = Json.object();
        out.put("object", "list");
        ArrayNode data = out.putArray("data");
        for (int i = from; i < to && data.size() < page.limit(); i++) data.add(ordered.get(i));
        out.set("first_id", data.isEmpty() ? null : data.get(0).get("id"));
        out.set("last_id", data.isEmpty() ? null : data.get(data.size() - 1).get("id"));
        out.put("has_more", to - from > data.size());
        return out;
    }

    private static int indexOf(List<JsonNode> items, String itemId, String param) {
        for (int i = 0; i < items.size(); i++) {
            if (itemId.equals(items.get(i).path("id").asText(null))) return i;
        }
        throw GatewayException.badRequest("No input item of this response has the id given as '" + param + "'.", param);
    }

    /**
     * The conversation a continuation of {@code previousId} starts from: the earlier responses' input and output items,
     * oldest first, and where the latest of them was answered when its provider keeps the state itself.
     *
     * @param pinnedDeploymentId the deployment of {@code previousId} when its provider keeps server state (send it
     *                           {@code previous_response_id} unchanged there), else null
     */
    public record Conversation(ArrayNode items, String pinnedDeploymentId) {}

    /**
     * Reads the chain {@code previousId} → its own previous → ... in one query (a recursive CTE, on both databases),
     * bounded by {@link #MAX_CHAIN} responses and {@link #MAX_CONVERSATION_CHARS} characters. The caller must own
     * {@code previousId} (404 / 403 as {@link #get}); the rest of the chain was checked when each link was made. A link
     * deleted or purged ends the chain there: the conversation continues from what is left.
     */
    public Conversation conversation(String previousId, Principal caller) {
        if (!validId(previousId)) throw previousNotFound(previousId);
        String sql = "WITH RECURSIVE chain (id, previous_response_id, key_hash, deployment_id, provider_state, input_items, output_items, depth, total) AS ("
                + " SELECT id, previous_response_id, key_hash, deployment_id, provider_state, input_items, output_items, 1,"
                + "        LENGTH(input_items) + LENGTH(output_items) FROM responses WHERE id = ?"
                + " UNION ALL"
                + " SELECT r.id, r.previous_response_id, r.key_hash, r.deployment_id, r.provider_state, r.input_items, r.output_items,"
                + "        c.depth + 1, c.total + LENGTH(r.input_items) + LENGTH(r.output_items)"
                + " FROM responses r JOIN chain c ON r.id = c.previous_response_id"
                + " WHERE c.depth < ? AND c.total <= ?)"
                + " SELECT id, previous_response_id, key_hash, deployment_id, provider_state, input_items, output_items, depth, total"
                + " FROM chain ORDER BY depth DESC";
        List<String[]> rows = new ArrayList<>(); // oldest first: input, output
        String pinned = null;
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, previousId);
            ps.setInt(2, MAX_CHAIN);
            ps.setInt(3, MAX_CONVERSATION_CHARS);
            try (ResultSet rs = ps.executeQuery()) {
                boolean first = true; // the oldest row read: whether the chain went on past it
                while (rs.next()) {
                    if (rs.getLong("total") > MAX_CONVERSATION_CHARS) throw conversationTooLong();
                    if (first && rs.getString("previous_response_id") != null && rs.getInt("depth") >= MAX_CHAIN) {
                        throw GatewayException.badRequest("This conversation reaches back through more than " + MAX_CHAIN
                                + " stored responses, more than the gateway carries over. Start a new one (without previous_response_id) "
                                + "or send the earlier items in input.", "previous_response_id");
                    }
                    first = false;
                    if (rs.getInt("depth") == 1) {
                        checkOwner(rs.getString("key_hash"), caller);
                        if (rs.getBoolean("provider_state")) pinned = rs.getString("deployment_id");
                    }
                    rows.add(new String[]{rs.getString("input_items"), rs.getString("output_items")});
                }
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot read stored responses: " + Database.rootMessage(e));
        }
        if (rows.isEmpty()) throw previousNotFound(previousId);
        ArrayNode items = Json.array();
        for (String[] row : rows) {
            items.addAll(array(row[0]));
            items.addAll(array(row[1]));
        }
        return new Conversation(items, pinned);
    }

    /**
     * Deletes at most {@code limit} responses created before {@code cutoffMillis}, oldest first, in its own short
     * statement (found through the created_at index); returns how many went.
     */
    public int deleteOlderThan(long cutoffMillis, int limit) {
        String sql = "DELETE FROM responses WHERE id IN (SELECT id FROM responses WHERE created_at < ? ORDER BY created_at LIMIT ?)";
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, cutoffMillis);
            ps.setInt(2, limit);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("Cannot delete old stored responses: " + Database.rootMessage(e));
        }
    }

    // --- access

    /** The master key (and a gateway without authentication) reads every response; a virtual key only its own. */
    static boolean readsAll(Principal caller) {
        return caller.keyHash() == null || caller.isMasterKey();
    }

    private static void checkOwner(StoredResponse r, Principal caller) {
        checkOwner(r.keyHash(), caller);
    }

    private static void checkOwner(String ownerHash, Principal caller) {
        if (readsAll(caller) || caller.keyHash().equals(ownerHash)) return;
        throw GatewayException.permission("This response was created with another API key; only that key (or the master key) may use it.");
    }

    /** Ids the gateway or a provider makes: letters, digits, '_' and '-', at most {@link #MAX_ID}. Others are never looked up. */
    static boolean validId(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_ID) return false;
        for (int i = 0; i < id.length(); i++) {
            char ch = id.charAt(i);
            if (!(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '_' || ch == '-')) return false;
        }
        return true;
    }

    static GatewayException notFound(String id) {
        return GatewayException.notFound("Response with id '" + shown(id) + "' not found.");
    }

    private static GatewayException previousNotFound(String id) {
        return GatewayException.notFound("Previous response with id '" + shown(id) + "' not found.");
    }

    private static GatewayException conversationTooLong() {
        return GatewayException.bodyTooLarge("The conversation before this turn holds more than " + MAX_CONVERSATION_CHARS
                + " characters of items, more than the gateway carries over. Start a new one (without previous_response_id) "
                + "or send the earlier items yourself with \"store\": false.");
    }

    /** An id as an error message may repeat it: a valid one whole, anything else not at all. */
    private static String shown(String id) {
        return validId(id) ? id : "(invalid id)";
    }

    // --- mapping

    private static StoredResponse read(ResultSet rs) throws SQLException {
        String instructions = rs.getString("instructions");
        String usage = rs.getString("usage_json");
        return new StoredResponse(rs.getString("id"), rs.getString("key_hash"), rs.getString("previous_response_id"),
                rs.getString("deployment_id"), rs.getBoolean("provider_state"), rs.getString("model"),
                Columns.getInstant(rs, "created_at"), rs.getString("status"),
                instructions == null ? null : Json.parse(instructions), array(rs.getString("input_items")),
                array(rs.getString("output_items")), object(rs.getString("response")), usage == null ? null : Json.parse(usage));
    }

    private static ArrayNode array(String json) {
        return json != null && Json.parse(json) instanceof ArrayNode a ? a : Json.array();
    }

    private static ObjectNode object(String json) {
        return json != null && Json.parse(json) instanceof ObjectNode o ? o : Json.object();
    }
}
