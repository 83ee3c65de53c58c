package dev.aigateway.pricing;

/**
 * The model a cloud's id names a version of, for pricing an id the table does not list yet: Vertex AI pins Claude
 * versions with an {@code @date} suffix ({@code claude-sonnet-4-5@20250929} is {@code claude-sonnet-4-5}), and a
 * new dated release costs what its model costs.
 */
final class BaseModel {
    private BaseModel() {}

    /** The base model's id, or null when {@code model} names no version of another. */
    static String of(String model) {
        int at = model.lastIndexOf('@');
        return at > 0 ? model.substring(0, at) : null;
    }
}
