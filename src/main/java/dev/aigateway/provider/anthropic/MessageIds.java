package dev.aigateway.provider.anthropic;

import java.util.UUID;

/** Anthropic-looking ids (msg_..., toolu_...) for answers that came from another provider. */
final class MessageIds {
    private MessageIds() {}

    static String messageId(String openAiId) {
        if (openAiId == null || openAiId.isBlank()) return "msg_" + random();
        if (openAiId.startsWith("msg_")) return openAiId;
        return "msg_" + (openAiId.startsWith("chatcmpl-") ? openAiId.substring("chatcmpl-".length()) : openAiId);
    }

    static String toolUseId(String openAiId) {
        return openAiId == null || openAiId.isBlank() ? "toolu_" + random() : openAiId;
    }

    private static String random() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }
}
