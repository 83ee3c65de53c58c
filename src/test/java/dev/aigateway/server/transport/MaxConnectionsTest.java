package dev.aigateway.server.transport;

import dev.aigateway.testing.RawConnection;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Connections over GATEWAY_MAX_CONNECTIONS are closed when accepted, counted in /metrics, and the rest keep working. */
class MaxConnectionsTest {
    @Test
    void connectionsOverTheLimitAreClosedAtOnce() throws Exception {
        try (TestGateway gw = TestGateway.start("model_list:\n  - model_name: mock\n    litellm_params: {model: mock/m}\n",
                Map.of("GATEWAY_MAX_CONNECTIONS", "4"))) {
            int port = gw.server().port();
            List<RawConnection> held = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) held.add(new RawConnection(port));
                // the fourth is counted once the server has accepted it: a request on it proves that
                held.get(3).send("GET /health/liveliness HTTP/1.1\r\nhost: x\r\n\r\n");
                assertThat(held.get(3).read().status()).isEqualTo(200);
                for (int i = 0; i < 3; i++) {
                    try (RawConnection over = new RawConnection(port)) {
                        over.trySend("GET /health/liveliness HTTP/1.1\r\nhost: x\r\n\r\n".getBytes());
                        assertThat(over.closedWithin(5_000)).as("a connection over the limit is closed").isTrue();
                    }
                }
                held.get(0).send("GET /health/liveliness HTTP/1.1\r\nhost: x\r\n\r\n");
                assertThat(held.get(0).read().status()).as("connections within the limit still work").isEqualTo(200);
            } finally {
                held.forEach(RawConnection::close);
            }
            long deadline = System.currentTimeMillis() + 10_000;
            while (gw.server().metrics() != null && System.currentTimeMillis() < deadline) {
                var r = gw.get("/metrics", TestGateway.MASTER_KEY);
                if (r.statusCode() == 200) {
                    assertThat(r.body()).contains("gateway_refused_connections_total 3");
                    break;
                }
                Thread.sleep(100); // the closed connections are being counted out
            }
        }
    }
}
