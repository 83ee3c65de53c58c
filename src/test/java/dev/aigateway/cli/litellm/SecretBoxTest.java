package dev.aigateway.cli.litellm;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** XSalsa20-Poly1305 against NaCl's published crypto_secretbox vector, and LiteLLM's three stored forms. */
class SecretBoxTest {
    private static final HexFormat HEX = HexFormat.of();
    // NaCl's tests/secretbox.c: firstkey, nonce, m and the boxed result (tag first, as crypto_secretbox_easy writes it).
    static final byte[] KEY = HEX.parseHex("1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389");
    static final byte[] NONCE = HEX.parseHex("69696ee955b62b73cd62bda875fc73d68219e0036b7a0b37");
    static final byte[] MESSAGE = HEX.parseHex(
            "be075fc53c81f2d5cf141316ebeb0c7b5228c52a4c62cbd44b66849b64244ffce5ecbaaf33bd751a1ac728d45e6c61296cdc3c01233561f4"
            + "1db66cce314adb310e3be8250c46f06dceea3a7fa1348057e2f6556ad6b1318a024a838f21af1fde048977eb48f59ffd4924ca1c60902e52"
            + "f0a089bc76897040e082f937763848645e0705");
    static final byte[] BOXED = HEX.parseHex(
            "f3ffc7703f9400e52a7dfb4b3d3305d98e993b9f48681273c29650ba32fc76ce48332ea7164d96a4476fb8c531a1186ac0dfc17c98dce87b"
            + "4da7f011ec48c97271d2c20f9b928fe2270d6fb863d51738b48eeee314a7cc8ab932164548e526ae90224368517acfeabd6bb3732bc0e9da"
            + "99832b61ca01b6de56244a9e88d5f9b37973f622a43d14a6599b1f654cb45a74e355a5");

    @Test
    void sealsAndOpensNaclsPublishedVector() {
        SecretBox box = new SecretBox(KEY);
        assertThat(HEX.formatHex(box.seal(NONCE, MESSAGE))).isEqualTo(HEX.formatHex(BOXED));
        assertThat(box.open(NONCE, BOXED)).isEqualTo(MESSAGE);
    }

    @Test
    void aChangedByteOrAnotherKeyDoesNotOpen() {
        byte[] altered = BOXED.clone();
        altered[40] ^= 1;
        assertThat(new SecretBox(KEY).open(NONCE, altered)).isNull();
        byte[] other = KEY.clone();
        other[0] ^= 1;
        assertThat(new SecretBox(other).open(NONCE, BOXED)).isNull();
    }

    @Test
    void opensLiteLlmsLegacyAndGcmFormsAndTellsAWrongKeyFromALiteral() {
        LiteLlmSecrets right = new LiteLlmSecrets("my-salt-key");
        byte[] nonce = Arrays.copyOf("0123456789abcdefghijklmn".getBytes(StandardCharsets.UTF_8), 24);
        String legacy = right.encryptLegacy("sk-upstream-123", nonce);
        String v3 = right.encryptV3("https://api.example.com", Arrays.copyOf(nonce, 12));

        assertThat(right.open(legacy)).isEqualTo(new LiteLlmSecrets.Opened.Plain("sk-upstream-123"));
        assertThat(right.open(v3)).isEqualTo(new LiteLlmSecrets.Opened.Plain("https://api.example.com"));
        LiteLlmSecrets wrong = new LiteLlmSecrets("another-salt-key");
        assertThat(wrong.open(legacy)).isInstanceOf(LiteLlmSecrets.Opened.WrongKey.class);
        assertThat(wrong.open(v3)).isInstanceOf(LiteLlmSecrets.Opened.WrongKey.class);
        assertThat(right.open("os.environ/OPENAI_API_KEY")).isEqualTo(new LiteLlmSecrets.Opened.Literal("os.environ/OPENAI_API_KEY"));
        assertThat(right.open("openai/gpt-4o")).isEqualTo(new LiteLlmSecrets.Opened.Literal("openai/gpt-4o"));
    }

    @Test
    void legacyFormIsPyNaclsNonceTagCiphertextInUrlsafeBase64() {
        // PyNaCl's SecretBox(sha256(salt)).encrypt(m, nonce) with the vector's nonce, as LiteLLM stores it.
        LiteLlmSecrets s = new LiteLlmSecrets("k");
        String stored = s.encryptLegacy("x", NONCE);
        byte[] raw = java.util.Base64.getUrlDecoder().decode(stored);
        assertThat(Arrays.copyOf(raw, 24)).isEqualTo(NONCE);
        assertThat(raw).hasSize(24 + 16 + 1);
    }
}
