package dev.aigateway.governance.keys;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** allowed_routes as LiteLLM matches them: exact, /v1 or not, prefixes at a slash, trailing *, route groups. */
class AllowedRoutesTest {
    static boolean allows(List<String> allowed, String path) {
        return AllowedRoutes.allows(allowed, path);
    }

    @Test
    void emptyAllowsEverything() {
        assertThat(allows(List.of(), "/key/generate")).isTrue();
        assertThat(allows(null, "/chat/completions")).isTrue();
    }

    @Test
    void pathsExactlyWithOrWithoutV1() {
        assertThat(allows(List.of("/chat/completions"), "/chat/completions")).isTrue();
        assertThat(allows(List.of("/v1/chat/completions"), "/chat/completions")).isTrue();
        assertThat(allows(List.of("/v1/chat/completions/"), "/chat/completions")).isTrue();
        assertThat(allows(List.of("/chat/completions"), "/completions")).isFalse();
        assertThat(allows(List.of("/chat/completions"), "/key/generate")).isFalse();
    }

    @Test
    void prefixesAtASlashAndWildcards() {
        assertThat(allows(List.of("/key"), "/key/generate")).isTrue();
        assertThat(allows(List.of("/key"), "/keys")).isFalse();
        assertThat(allows(List.of("/key/*"), "/key/sk-abc/regenerate")).isTrue();
        assertThat(allows(List.of("/spend*"), "/spend/logs")).isTrue();
        assertThat(allows(List.of("/spend*"), "/model/new")).isFalse();
    }

    @Test
    void routeGroups() {
        assertThat(allows(List.of("llm_api_routes"), "/chat/completions")).isTrue();
        assertThat(allows(List.of("llm_api_routes"), "/messages")).isTrue();
        assertThat(allows(List.of("llm_api_routes"), "/responses")).isTrue();
        assertThat(allows(List.of("openai_routes"), "/responses")).isTrue();
        assertThat(allows(List.of("llm_api_routes"), "/models/gpt-4o")).isTrue();
        assertThat(allows(List.of("llm_api_routes"), "/key/generate")).isFalse();
        assertThat(allows(List.of("management_routes"), "/key/generate")).isTrue();
        assertThat(allows(List.of("management_routes"), "/model/test")).isTrue();
        assertThat(allows(List.of("management_routes"), "/chat/completions")).isFalse();
        assertThat(allows(List.of("info_routes"), "/key/info")).isTrue();
        assertThat(allows(List.of("info_routes"), "/key/generate")).isFalse();
        assertThat(allows(List.of("spend_tracking_routes"), "/spend/daily")).isTrue();
        assertThat(allows(List.of("openai_routes", "anthropic_routes"), "/embeddings")).isTrue();
    }
}
