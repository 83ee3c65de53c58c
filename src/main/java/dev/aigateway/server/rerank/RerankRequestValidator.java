package dev.aigateway.server.rerank;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;

import static dev.aigateway.server.RequestFields.bad;
import static dev.aigateway.server.RequestFields.bool;
import static dev.aigateway.server.RequestFields.integer;
import static dev.aigateway.server.RequestFields.maxItems;
import static dev.aigateway.server.RequestFields.requiredText;

/**
 * Checks a rerank request (Cohere's shape), every count and size bounded, and gives the providers its documents as
 * texts: a document may be a string or an object (its {@code text}, else the object as JSON, as Cohere's v2 API asks).
 */
public final class RerankRequestValidator {
    /** Cohere's limit of documents per request. */
    public static final int MAX_DOCUMENTS = 1000;
    /** A query's length: far past any reranker's context, short of a size that only costs memory. */
    public static final int MAX_QUERY_CHARS = 32_000;
    /** One document's length (a reranker truncates far below it). */
    public static final int MAX_DOCUMENT_CHARS = 128 * 1024;

    private RerankRequestValidator() {}

    public static ObjectNode validate(ObjectNode body) {
        requiredText(body, "query", MAX_QUERY_CHARS);
        JsonNode docs = body.get("documents");
        if (docs == null || docs.isNull()) throw bad("Missing required parameter: 'documents'.", "documents");
        if (!docs.isArray() || docs.isEmpty()) throw bad("Invalid 'documents': expected a non-empty array of strings or objects.", "documents");
        maxItems(docs, "documents", MAX_DOCUMENTS);
        ArrayNode texts = Json.MAPPER.createArrayNode();
        for (JsonNode d : docs) {
            String text;
            if (d.isTextual()) text = d.asText();
            else if (d.isObject()) text = d.path("text").isTextual() ? d.get("text").asText() : Json.MAPPER.valueToTree(d).toString();
            else throw bad("Invalid 'documents': each document must be a string or an object.", "documents");
            if (text.length() > MAX_DOCUMENT_CHARS) {
                throw bad("Invalid 'documents': a document is longer than " + MAX_DOCUMENT_CHARS + " characters.", "documents");
            }
            texts.add(text);
        }
        body.set("documents", texts);
        integer(body, "top_n", 1, MAX_DOCUMENTS);
        integer(body, "max_tokens_per_doc", 1, 1_000_000);
        bool(body, "return_documents");
        return body;
    }
}
