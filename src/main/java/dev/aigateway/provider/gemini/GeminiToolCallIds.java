package dev.aigateway.provider.gemini;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Tool call ids for Gemini's function calls, which have none of their own. Gemini 3 also attaches a
 * {@code thoughtSignature} to function calls and answers 400 when a later turn does not send it back;
 * OpenAI clients echo only the tool call id, so the signature rides inside it after a separator
 * (LiteLLM's convention, so a conversation can move between the two gateways).
 */
final class GeminiToolCallIds {
    static final String SEPARATOR = "__thought__";
    /** Google's documented stand-in for histories whose calls were not made with a signature. */
    static final String SKIP_VALIDATION = "skip_thought_signature_validator";

    private GeminiToolCallIds() {}

    static String newId(String thoughtSignature) {
        String id = "call_" + randomHex();
        return thoughtSignature == null || thoughtSignature.isEmpty() ? id : id + SEPARATOR + thoughtSignature;
    }

    /** The thought signature carried by an id, or null. */
    static String signatureOf(String id) {
        if (id == null) return null;
        int at = id.indexOf(SEPARATOR);
        return at < 0 ? null : id.substring(at + SEPARATOR.length());
    }

    private static String randomHex() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return Long.toHexString(r.nextLong() | Long.MIN_VALUE) + Long.toHexString(r.nextLong() | Long.MIN_VALUE).substring(0, 8);
    }
}
