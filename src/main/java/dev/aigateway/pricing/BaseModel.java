package dev.aigateway.pricing;

/**
 * The model a cloud's id names a version of, for pricing an id the table does not list yet: Vertex AI pins Claude
 * versions with an {@code @date} suffix ({@code claude-sonnet-4-5@20250929} is {@code claude-sonnet-4-5}), and a
 * new dated release costs what its model costs. On Bedrock, LiteLLM's route markers ({@code invoke/},
 * {@code converse/}) and a cross-region inference profile's prefix ({@code us.}, {@code eu.}, {@code apac.},
 * {@code global.}...) name the model they route to.
 */
final class BaseModel {
    private static final java.util.List<String> BEDROCK_PREFIXES = java.util.List.of("invoke/", "converse/",
            "us.", "eu.", "apac.", "global.", "us-gov.", "jp.", "au.", "ca.");

    private BaseModel() {}

    /** The base model's id, or null when {@code model} names no version of another. */
    static String of(String model) {
        int at = model.lastIndexOf('@');
        if (at > 0) return model.substring(0, at);
        for (String p : BEDROCK_PREFIXES) {
            if (model.startsWith(p) && model.length() > p.length()) return model.substring(p.length());
        }
        return null;
    }
}
