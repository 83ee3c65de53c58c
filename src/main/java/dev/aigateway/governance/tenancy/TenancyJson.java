package dev.aigateway.governance.tenancy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;

import java.io.IOException;
import java.time.Instant;

/**
 * The tenancy records as JSON: LiteLLM's snake_case names (which are also the column names), times as ISO-8601 text
 * (read from epoch milliseconds too, as the database holds them). One mapping serves the admin API's answers and the
 * store's rows, so a field added to a record and its table is shown and stored without more code.
 */
public final class TenancyJson {
    static final ObjectMapper MAPPER = Json.MAPPER.copy()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .registerModule(new SimpleModule("instants")
                    .addSerializer(Instant.class, new JsonSerializer<>() {
                        @Override
                        public void serialize(Instant t, JsonGenerator g, SerializerProvider p) throws IOException {
                            g.writeString(t.toString());
                        }
                    })
                    .addDeserializer(Instant.class, new JsonDeserializer<>() {
                        @Override
                        public Instant deserialize(JsonParser p, DeserializationContext c) throws IOException {
                            return p.currentToken() == JsonToken.VALUE_NUMBER_INT ? Instant.ofEpochMilli(p.getLongValue())
                                    : Instant.parse(p.getText());
                        }
                    }));

    private TenancyJson() {}

    /** A record as LiteLLM's admin API shows it. */
    public static ObjectNode of(Object row) {
        return MAPPER.valueToTree(row);
    }

    /** The same record with one field set (a reference the routes set themselves, such as a budget they created). */
    public static <T> T with(T row, Class<T> type, String field, String value) {
        ObjectNode o = of(row);
        o.put(field, value);
        return to(o, type);
    }

    /** A record from its JSON form (a stored row, or a shown one with changes applied). */
    static <T> T to(ObjectNode node, Class<T> type) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (IOException e) {
            throw new IllegalArgumentException("Not a " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
