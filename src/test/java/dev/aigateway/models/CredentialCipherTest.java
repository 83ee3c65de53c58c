package dev.aigateway.models;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;
import dev.aigateway.core.SecretParams;
import dev.aigateway.core.UrlCredentials;
import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CredentialCipherTest {
    static final CredentialCipher A = CredentialCipher.fromSaltKey("salt-key-a-3b1e9d");
    static final CredentialCipher B = CredentialCipher.fromSaltKey("salt-key-b-77c0aa");

    @Test
    void roundTripsWithAFreshNoncePerValue() {
        String one = A.encrypt("sk-provider-secret");
        String two = A.encrypt("sk-provider-secret");
        assertThat(one).startsWith("enc:v1:").doesNotContain("sk-provider-secret").isNotEqualTo(two);
        byte[] raw = Base64.getDecoder().decode(one.substring("enc:v1:".length()));
        assertThat(raw).hasSize(12 + "sk-provider-secret".length() + 16); // nonce | ciphertext | tag
        assertThat(A.decrypt(one)).isEqualTo("sk-provider-secret");
        assertThat(A.decrypt(two)).isEqualTo("sk-provider-secret");
        assertThat(CredentialCipher.fromSaltKey("salt-key-a-3b1e9d").decrypt(one)).as("same salt key, same derived key").isEqualTo("sk-provider-secret");
    }

    @Test
    void anotherKeyOrATamperedValueIsRefusedNeverGarbage() {
        String sealed = A.encrypt("sk-provider-secret");
        assertThatThrownBy(() -> B.decrypt(sealed)).isInstanceOf(CredentialCipher.WrongKeyException.class);
        byte[] raw = Base64.getDecoder().decode(sealed.substring(7));
        raw[14] ^= 1;
        String tampered = "enc:v1:" + Base64.getEncoder().encodeToString(raw);
        assertThatThrownBy(() -> A.decrypt(tampered)).isInstanceOf(CredentialCipher.WrongKeyException.class);
        assertThatThrownBy(() -> A.decrypt("enc:v1:AAAA")).isInstanceOf(CredentialCipher.WrongKeyException.class);
    }

    @Test
    void noSaltKeyNoCipher() {
        assertThat(CredentialCipher.fromSaltKey(null)).isNull();
        assertThat(CredentialCipher.fromSaltKey("  ")).isNull();
    }

    @Test
    void secretFieldsAreEncryptedOthersAndReferencesAreNot() {
        ObjectNode p = (ObjectNode) Json.parse("""
                {"model": "openai/x", "api_key": "sk-1", "aws_secret_access_key": "aws-2", "azure_ad_token": "tok-3",
                 "client_secret": "cs-4", "vertex_key": "vk-5", "api_base": "http://h", "max_tokens": 5,
                 "other_key": "os.environ/MY_KEY"}""");
        ObjectNode enc = CredentialCipher.encryptSecrets(p, A);
        for (String f : new String[]{"api_key", "aws_secret_access_key", "azure_ad_token", "client_secret", "vertex_key"}) {
            assertThat(enc.get(f).asText()).as(f).startsWith("enc:v1:");
        }
        assertThat(enc.get("other_key").asText()).isEqualTo("os.environ/MY_KEY");
        assertThat(enc.get("api_base").asText()).isEqualTo("http://h");
        assertThat(enc.get("max_tokens").asInt()).isEqualTo(5);
        assertThat(CredentialCipher.decryptSecrets(enc, A)).isEqualTo(p);
        assertThat(SecretParams.shown(p).fieldNames()).toIterable().containsExactlyInAnyOrder("model", "api_base", "max_tokens");
        assertThat(SecretParams.literalSecrets(p)).containsExactly("api_key", "aws_secret_access_key", "azure_ad_token", "client_secret", "vertex_key");
        assertThatThrownBy(() -> CredentialCipher.encryptSecrets(p, null)).isInstanceOf(CredentialCipher.MissingSaltKeyException.class)
                .hasMessageContaining("GATEWAY_SALT_KEY");
        assertThatThrownBy(() -> CredentialCipher.decryptSecrets(enc, B)).isInstanceOf(CredentialCipher.WrongKeyException.class);
    }

    @Test
    void anApiBaseWithCredentialsIsACredentialAtRestAndMaskedWhenShown() {
        for (String base : new String[]{"https://user:pa55word@proxy.example/v1", "https://h.example/v1?api-key=k-123",
                "https://u@h.example/openai?sig=abc&sv=2024"}) {
            ObjectNode p = (ObjectNode) Json.parse("{\"model\": \"openai/x\", \"api_base\": \"" + base + "\"}");
            assertThat(SecretParams.literalSecrets(p)).as(base).containsExactly("api_base");
            ObjectNode enc = CredentialCipher.encryptSecrets(p, A);
            assertThat(enc.get("api_base").asText()).as(base).startsWith("enc:v1:");
            assertThat(CredentialCipher.decryptSecrets(enc, A)).isEqualTo(p);
            String shown = SecretParams.shown(p).get("api_base").asText();
            assertThat(shown).as(base).contains(UrlCredentials.MASK).doesNotContain("pa55word").doesNotContain("k-123")
                    .doesNotContain("user").doesNotContain("abc");
            assertThatThrownBy(() -> CredentialCipher.encryptSecrets(p, null)).isInstanceOf(CredentialCipher.MissingSaltKeyException.class)
                    .hasMessageContaining("litellm_params.api_base");
        }
        assertThat(UrlCredentials.masked("https://user:pw@h.example:8443/v1?api-key=k&x=1#frag")).isEqualTo("https://***@h.example:8443/v1?api-key=***&x=***");
        assertThat(UrlCredentials.masked("http://h.example/v1")).isEqualTo("http://h.example/v1");
        assertThat(UrlCredentials.masked("os.environ/AZURE_API_BASE")).isEqualTo("os.environ/AZURE_API_BASE");
        assertThat(UrlCredentials.masked("http://h.example/a@b")).as("an @ in the path is no user info").isEqualTo("http://h.example/a@b");
        assertThat(UrlCredentials.secrets("https://user:pw@h/v1?key=k1&sig=s2")).containsExactly("user:pw", "pw", "k1", "s2");
        ObjectNode plain = (ObjectNode) Json.parse("{\"model\": \"openai/x\", \"api_base\": \"http://h.example/v1\"}");
        assertThat(SecretParams.literalSecrets(plain)).isEmpty();
    }
}
