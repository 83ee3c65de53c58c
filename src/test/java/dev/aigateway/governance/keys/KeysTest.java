package dev.aigateway.governance.keys;

import dev.aigateway.governance.Authenticator;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class KeysTest {
    @Test
    void keysAreSkAnd48Base62CharactersAndDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        Set<Character> alphabet = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            String k = Keys.generate();
            assertThat(k).matches("sk-[0-9A-Za-z]{48}");
            assertThat(seen.add(k)).isTrue();
            for (char c : k.substring(3).toCharArray()) alphabet.add(c);
        }
        assertThat(alphabet).hasSize(62); // every symbol is used: the whole alphabet is in play
    }

    @Test
    void displayNameShowsOnlyTheLastFourCharacters() {
        assertThat(Keys.displayName("sk-abcdefghijklmnopWXYZ")).isEqualTo("sk-...WXYZ");
    }

    @Test
    void hashIsSha256HexAndRecognised() {
        String k = "sk-test";
        assertThat(Keys.hash(k)).isEqualTo(Authenticator.hash(k)).hasSize(64);
        assertThat(Keys.isHash(Keys.hash(k))).isTrue();
        assertThat(Keys.isHash(k)).isFalse();
        assertThat(Keys.isHash(Keys.hash(k).toUpperCase())).isFalse();
    }
}
