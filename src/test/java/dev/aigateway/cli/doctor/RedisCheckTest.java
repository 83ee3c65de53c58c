package dev.aigateway.cli.doctor;

import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static dev.aigateway.cli.doctor.DoctorKit.only;
import static org.assertj.core.api.Assertions.assertThat;

/** Redis answers PING when configured: a real server, a closed port, and one that wants a password. */
class RedisCheckTest {
    @TempDir
    Path home;

    Finding check(String... env) {
        return only(new DoctorKit(home).env(env).config(DoctorKit.MOCK_ONLY).run(new RedisCheck()));
    }

    @Test
    void notConfiguredPasses() {
        assertThat(check("X=1")).isEqualTo(Finding.pass(RedisCheck.NAME, "not configured (one instance: limits are kept in memory)"));
    }

    @Test
    void aRealRedisAnswersPing() {
        Assumptions.assumeTrue(DatabaseCheckTest.listening(6379), "Redis at 127.0.0.1:6379");
        assertThat(check("REDIS_URL=redis://127.0.0.1:6379")).isEqualTo(Finding.pass(RedisCheck.NAME, "Redis at 127.0.0.1:6379 answers PING"));
    }

    @Test
    void aClosedPortFailsWithStartRedis() throws Exception {
        int port = TestGateway.freePort();
        Finding f = check("REDIS_URL=redis://127.0.0.1:" + port);
        assertThat(f.status()).isEqualTo(Status.FAIL);
        assertThat(f.message()).isEqualTo("Redis is not running at 127.0.0.1:" + port + " (connection refused)");
        assertThat(f.fix()).startsWith("start Redis");
    }

    @Test
    void aRedisThatWantsAPasswordSaysSo() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = server.accept()) {
                    s.getInputStream().read(new byte[64]);
                    s.getOutputStream().write("-NOAUTH Authentication required.\r\n".getBytes(StandardCharsets.UTF_8));
                    s.getOutputStream().flush();
                    Thread.sleep(200);
                } catch (Exception ignored) {
                    // test ends
                }
            });
            t.start();
            Finding f = check("REDIS_URL=redis://127.0.0.1:" + server.getLocalPort());
            assertThat(f.status()).isEqualTo(Status.FAIL);
            assertThat(f.message()).contains("needs a password");
            assertThat(f.fix()).isEqualTo("REDIS_URL=redis://:PASSWORD@127.0.0.1:" + server.getLocalPort() + " in .env");
            t.join(2000);
        }
    }
}
