package dev.aigateway.cli.litellm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.governance.spend.SpendRecord;
import dev.aigateway.governance.spend.SpendStore;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * LiteLLM's request history ({@code LiteLLM_SpendLogs}, often millions of rows) into {@code spend_logs} and the daily
 * aggregates the usage views read, through {@link SpendStore#writeHistory}: the same rows and aggregates as live
 * traffic writes, without adding the history to the spend of keys, teams, users, organizations and end users a second
 * time (theirs is LiteLLM's own, carried over with their rows). Read and written a page at a time; a page is one transaction, and a row whose
 * request_id is there already adds nothing (so a second import, or one resumed after an interruption, is safe).
 */
final class SpendImporter {
    static final String TABLE = "spend_logs";
    private static final long PROGRESS_EVERY = 50_000;

    private final LiteLlmSource source;
    private final Target target;
    private final ImportReport report;
    private final int pageSize;
    private final PrintStream progress;

    SpendImporter(LiteLlmSource source, Target target, ImportReport report, int pageSize, PrintStream progress) {
        this.source = source;
        this.target = target;
        this.report = report;
        this.pageSize = pageSize;
        this.progress = progress;
    }

    void run() throws SQLException {
        if (!source.has("LiteLLM_SpendLogs", report)) return;
        report.table(TABLE);
        long total = source.count("LiteLLM_SpendLogs");
        SpendStore store = new SpendStore(target.database());
        long[] read = {0, 0};
        source.pages("LiteLLM_SpendLogs", List.of("request_id", "call_type", "api_key", "spend", "total_tokens", "prompt_tokens",
                "completion_tokens", "startTime", "endTime", "completionStartTime", "model", "model_id", "model_group",
                "custom_llm_provider", "user", "metadata", "team_id", "organization_id", "end_user", "session_id", "status"),
                List.of("request_id"), pageSize, rows -> {
            List<SpendRecord> records = new ArrayList<>(rows.size());
            for (SourceRow r : rows) {
                if (r.millis("startTime") == null) {
                    report.failed(TABLE, "request " + r.text("request_id") + ": no startTime");
                    continue;
                }
                records.add(record(r));
            }
            if (target.apply()) {
                int inserted = store.writeHistory(records);
                report.imported(TABLE, inserted);
                report.skipped(TABLE, records.size() - inserted);
            } else {
                int there = existing(records);
                report.imported(TABLE, records.size() - there);
                report.skipped(TABLE, there);
            }
            read[0] += rows.size();
            if (read[0] - read[1] >= PROGRESS_EVERY) {
                read[1] = read[0];
                progress.println("  spend logs: " + read[0] + " of about " + total + " read");
            }
        });
    }

    static SpendRecord record(SourceRow r) {
        ObjectNode metadata = r.object("metadata");
        long start = r.millis("startTime");
        long end = Convert.orElse(r.millis("endTime"), start);
        Long firstToken = r.millis("completionStartTime");
        boolean failed = "failure".equals(r.text("status"));
        JsonNode error = metadata.path("error_information");
        int httpStatus = failed ? status(error.path("error_code")) : 200;
        return new SpendRecord(
                r.text("request_id"), null, KeyImporter.hash(blankToNull(r.text("api_key"))),
                text(metadata.get("user_api_key_alias")), blankToNull(r.text("user")), blankToNull(r.text("team_id")),
                callType(r.text("call_type")), blankToNull(r.text("model_group")), blankToNull(r.text("model_id")),
                blankToNull(r.text("custom_llm_provider")), blankToNull(r.text("model")),
                Convert.orElse(r.lng("prompt_tokens"), 0), Convert.orElse(r.lng("completion_tokens"), 0), cachedTokens(metadata),
                Convert.orElse(r.lng("total_tokens"), 0), r.dbl("spend", 0), start, end,
                firstToken != null && firstToken > start && firstToken < end ? firstToken - start : null,
                failed ? "failure" : "success", httpStatus, failed ? text(error.get("error_class")) : null, false, 1, null,
                blankToNull(r.text("end_user")), blankToNull(r.text("session_id")), null, null, blankToNull(r.text("organization_id")));
    }

    /** LiteLLM's call types (acompletion, aembedding...) as the gateway names its routes (see SpendAdminHandler). */
    static String callType(String litellm) {
        if (litellm == null || litellm.isBlank()) return "unknown";
        return switch (litellm) {
            case "acompletion", "completion" -> "chat";
            case "aembedding", "embedding" -> "embedding";
            case "atext_completion", "text_completion" -> "completion";
            case "anthropic_messages" -> "messages";
            case "aresponses", "responses" -> "responses";
            default -> litellm;
        };
    }

    private static long cachedTokens(ObjectNode metadata) {
        JsonNode n = metadata.path("usage_object").path("prompt_tokens_details").path("cached_tokens");
        if (!n.isNumber()) n = metadata.path("additional_usage_values").path("cache_read_input_tokens");
        return n.isNumber() ? n.longValue() : 0;
    }

    private static int status(JsonNode code) {
        String s = code.asText("");
        return s.matches("[1-5]\\d\\d") ? Integer.parseInt(s) : 500;
    }

    private static String text(JsonNode n) {
        return n != null && n.isTextual() && !n.asText().isBlank() ? n.asText() : null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** How many of these rows are stored already (a dry run's "already there"). */
    private int existing(List<SpendRecord> records) throws SQLException {
        if (records.isEmpty()) return 0;
        Set<String> there = new HashSet<>();
        try (Connection c = target.database().connection();
             PreparedStatement ps = c.prepareStatement("SELECT request_id FROM spend_logs WHERE request_id IN ("
                     + String.join(",", Collections.nCopies(records.size(), "?")) + ")")) {
            for (int i = 0; i < records.size(); i++) ps.setString(i + 1, records.get(i).requestId());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) there.add(rs.getString(1));
            }
        }
        return there.size();
    }
}
