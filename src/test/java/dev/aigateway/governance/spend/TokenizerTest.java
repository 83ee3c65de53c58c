package dev.aigateway.governance.spend;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class TokenizerTest {
    private static final Encoding O200K = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

    /** The stand-in used while the vocabulary loads must never undercount, or a budget could be overspent. */
    @Test
    void theByteBoundNeverUndercountsRandomText() {
        Random r = new Random(42);
        String[] alphabets = {"abcdefghij klmnop", "0123456789 .,;!?", "äöüéèàçñ ", "日本語の文章です。", "😀🎉🚀 ", "\n\t {}[]\":,"};
        for (int i = 0; i < 2_000; i++) {
            StringBuilder sb = new StringBuilder();
            int len = r.nextInt(200);
            for (int j = 0; j < len; j++) {
                String a = alphabets[r.nextInt(alphabets.length)];
                sb.appendCodePoint(a.codePointAt(a.offsetByCodePoints(0, r.nextInt(a.codePointCount(0, a.length())))));
            }
            String s = sb.toString();
            assertThat(Tokenizer.utf8Length(s)).as("bound for %s", s).isGreaterThanOrEqualTo(O200K.countTokensOrdinary(s));
            assertThat(Tokenizer.utf8Length(s)).isEqualTo(s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void countsExactlyOnceLoaded() {
        Tokenizer.load();
        assertThat(Tokenizer.loaded()).isTrue();
        String s = "Hello! Can you tell me a short joke about computers?";
        assertThat(Tokenizer.count(s)).isEqualTo(O200K.countTokensOrdinary(s)).isLessThan(Tokenizer.utf8Length(s));
        assertThat(Tokenizer.count("")).isZero();
    }
}
