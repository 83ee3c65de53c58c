package dev.aigateway.server.admin;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The runtime-model contract on the default embedded SQLite database. */
class RuntimeModelsSqliteTest extends RuntimeModelsContract {
    @Override
    Map<String, String> databaseEnv() {
        return Map.of();
    }

    /**
     * Over HTTP/2 the stream closes inside {@code response.end()}; that close must not be taken for a client that went
     * away (it used to record an answered admin write as 499 client_closed_request).
     */
    @Test
    void clientsAskingForHttp2GetHttp11AndAnsweredRequestsAreNotRecordedAsClientClosed() throws Exception {
        Logger access = (Logger) LoggerFactory.getLogger("access");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        access.addAppender(lines);
        try {
            HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
            HttpResponse<String> r = h2.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/model/new"))
                    .header("authorization", "Bearer " + TestGateway.MASTER_KEY)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model_name\": \"rt-h2\", \"litellm_params\": {\"model\": \"mock/h\"}}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.version()).as("cleartext h2c is off: the gateway answers in HTTP/1.1").isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(r.statusCode()).isEqualTo(200);
            String requestId = r.headers().firstValue("x-request-id").orElseThrow();
            Thread.sleep(200);
            assertThat(lines.list).as(() -> requestId + " in " + lines.list).filteredOn(e -> e.getFormattedMessage().startsWith(requestId)).singleElement()
                    .extracting(ILoggingEvent::getFormattedMessage).asString().contains("status=200");
        } finally {
            access.detachAppender(lines);
        }
    }
}
