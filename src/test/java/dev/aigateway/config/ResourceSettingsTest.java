package dev.aigateway.config;

import dev.aigateway.core.ConfigException;
import dev.aigateway.db.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** GATEWAY_EVENT_LOOPS and GATEWAY_DB_POOL_SIZE: defaults, the process environment, and errors naming the variable. */
class ResourceSettingsTest {
    @TempDir
    Path dir;

    ResourceSettings load(Map<String, String> env) {
        return ConfigLoader.load(Map.of(), env, dir).resources();
    }

    @Test
    void defaults() {
        ResourceSettings r = load(Map.of());
        assertThat(r.eventLoops()).isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors()));
        assertThat(r.databasePoolSize()).isEqualTo(Database.DEFAULT_POOL_SIZE).isEqualTo(4);
        assertThat(load(Map.of("GATEWAY_EVENT_LOOPS", " ", "GATEWAY_DB_POOL_SIZE", "")).eventLoops()).as("blank is unset")
                .isEqualTo(r.eventLoops());
    }

    @Test
    void validValuesFromTheProcessEnvironment() {
        ResourceSettings r = load(Map.of("GATEWAY_EVENT_LOOPS", "3", "GATEWAY_DB_POOL_SIZE", " 8 "));
        assertThat(r.eventLoops()).isEqualTo(3);
        assertThat(r.databasePoolSize()).isEqualTo(8);
        assertThat(load(Map.of("GATEWAY_EVENT_LOOPS", "1024", "GATEWAY_DB_POOL_SIZE", "1")))
                .isEqualTo(new ResourceSettings(1024, 1));
    }

    @Test
    void dotEnvDoesNotSetThem() {
        // The launcher exports its profile's values into the process environment, where they would win over .env anyway.
        DotEnv.put(dir.resolve(".env"), Map.of("GATEWAY_EVENT_LOOPS", "7", "GATEWAY_DB_POOL_SIZE", "9"));
        assertThat(load(Map.of())).isEqualTo(load(Map.of("UNRELATED", "x")));
        assertThat(load(Map.of()).databasePoolSize()).isEqualTo(4);
        assertThat(load(Map.of("GATEWAY_DB_POOL_SIZE", "2")).databasePoolSize()).isEqualTo(2);
    }

    @Test
    void invalidValuesStopStartUpNamingTheVariableAndRange() {
        // before: a non-number silently meant one loop per core, and 0 or a negative meant 1
        for (String bad : new String[]{"many", "0", "-2", "2.5", "1025"}) {
            assertThatThrownBy(() -> load(Map.of("GATEWAY_EVENT_LOOPS", bad))).as(bad).isInstanceOf(ConfigException.class)
                    .hasMessage("GATEWAY_EVENT_LOOPS must be a whole number from 1 to 1024, not '" + bad + "'.");
        }
        for (String bad : new String[]{"lots", "0", "-1", "1001"}) {
            assertThatThrownBy(() -> load(Map.of("GATEWAY_DB_POOL_SIZE", bad))).as(bad).isInstanceOf(ConfigException.class)
                    .hasMessage("GATEWAY_DB_POOL_SIZE must be a whole number from 1 to 1000, not '" + bad + "'.");
        }
    }
}
