package dev.aigateway.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UrlCredentialsTest {
    @Test
    void withoutCredentialsLeavesOutUserInfoQueryAndFragment() {
        assertThat(UrlCredentials.withoutCredentials("https://alice:pw@host.example/v1?key=s&sig=t#frag")).isEqualTo("https://host.example/v1");
        assertThat(UrlCredentials.withoutCredentials("https://host.example:8443/openai?api-key=s")).isEqualTo("https://host.example:8443/openai");
        assertThat(UrlCredentials.withoutCredentials("http://token@10.0.0.1/v1")).isEqualTo("http://10.0.0.1/v1");
        assertThat(UrlCredentials.withoutCredentials("host.example/v1?x")).isEqualTo("host.example/v1");
        assertThat(UrlCredentials.withoutCredentials("https://u:p@host.example")).isEqualTo("https://host.example");
        String plain = "https://api.openai.com/v1";
        assertThat(UrlCredentials.withoutCredentials(plain)).isSameAs(plain);
        assertThat(UrlCredentials.withoutCredentials(null)).isNull();
    }
}
