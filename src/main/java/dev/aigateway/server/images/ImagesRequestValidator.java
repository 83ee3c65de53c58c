package dev.aigateway.server.images;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Set;
import java.util.regex.Pattern;

import static dev.aigateway.server.RequestFields.bad;
import static dev.aigateway.server.RequestFields.integer;
import static dev.aigateway.server.RequestFields.oneOf;
import static dev.aigateway.server.RequestFields.requiredText;
import static dev.aigateway.server.RequestFields.string;

/** Checks an image generation request as OpenAI does, every count and size bounded. */
public final class ImagesRequestValidator {
    /** gpt-image-1's prompt limit (DALL-E 3 takes 4,000: its provider says so). */
    public static final int MAX_PROMPT_CHARS = 32_000;
    /** Images per request: OpenAI's maximum (DALL-E 2). */
    public static final int MAX_IMAGES = 10;
    /** {@code WIDTHxHEIGHT}, each 1 to 5 digits: what any image model takes, and a product that cannot overflow. */
    static final Pattern SIZE = Pattern.compile("[1-9][0-9]{0,4}x[1-9][0-9]{0,4}");
    static final String DEFAULT_SIZE = "1024x1024";
    private static final Set<String> QUALITIES = Set.of("auto", "standard", "hd", "low", "medium", "high");
    private static final Set<String> FORMATS = Set.of("url", "b64_json");

    private ImagesRequestValidator() {}

    public static ObjectNode validate(ObjectNode body) {
        requiredText(body, "prompt", MAX_PROMPT_CHARS);
        integer(body, "n", 1, MAX_IMAGES);
        string(body, "size");
        String size = body.path("size").asText("auto");
        if (!size.equals("auto") && !SIZE.matcher(size).matches()) {
            throw bad("Invalid value for 'size': expected 'auto' or WIDTHxHEIGHT, such as 1024x1024.", "size");
        }
        oneOf(body, "quality", QUALITIES);
        oneOf(body, "response_format", FORMATS);
        integer(body, "output_compression", 0, 100);
        integer(body, "partial_images", 0, 3);
        for (String f : new String[]{"style", "user", "background", "output_format", "moderation"}) string(body, f);
        if (body.path("stream").asBoolean(false)) {
            throw bad("Streamed image generation is not supported by the gateway: leave 'stream' unset.", "stream");
        }
        return body;
    }
}
