package dev.aigateway.provider.mock;

/** The mock's token count: about four characters a token, as OpenAI's rule of thumb says. */
final class Tokens {
    private Tokens() {}

    static int estimate(String text) {
        return text == null || text.isEmpty() ? 0 : Math.max(1, (text.length() + 3) / 4);
    }
}
