package dev.aigateway.router;

import dev.aigateway.core.GatewayException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Errors are classified by their status and code, never by their message text. */
class ErrorKindTest {
    @Test
    void onlyTheGatewaysOwnClientClosedCodeStopsRouting() {
        assertThat(ErrorKind.of(GatewayException.clientClosed())).isEqualTo(ErrorKind.CANCELLED);
        // the old marker: a 500 whose text happened to say so must be an ordinary server error
        assertThat(ErrorKind.of(GatewayException.serverError("client disconnected"))).isEqualTo(ErrorKind.SERVER);
        // an upstream's own 499 (Gemini's CANCELLED) is the upstream's failure: retried, counted against it
        var upstream499 = new GatewayException(499, "api_error", "upstream_error", null, "CANCELLED");
        assertThat(ErrorKind.of(upstream499)).isEqualTo(ErrorKind.SERVER);
        assertThat(ErrorKind.SERVER.countsAgainstDeployment()).isTrue();
    }

    @Test
    void statusesAndCodesMapToLiteLlmsRetryPolicyKinds() {
        assertThat(ErrorKind.of(GatewayException.contextLengthExceeded("long"))).isEqualTo(ErrorKind.CONTEXT_WINDOW);
        assertThat(ErrorKind.of(GatewayException.contentPolicy("no"))).isEqualTo(ErrorKind.CONTENT_POLICY);
        assertThat(ErrorKind.of(GatewayException.badRequest("bad", null))).isEqualTo(ErrorKind.BAD_REQUEST);
        assertThat(ErrorKind.of(GatewayException.timeout("slow"))).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(ErrorKind.of(GatewayException.rateLimited("busy", 1))).isEqualTo(ErrorKind.RATE_LIMIT);
        assertThat(ErrorKind.of(GatewayException.upstream("down"))).isEqualTo(ErrorKind.SERVER);
        assertThat(ErrorKind.of(GatewayException.invalidKey("who"))).isEqualTo(ErrorKind.AUTHENTICATION);
        assertThat(ErrorKind.BAD_REQUEST.fallsBackGenerally()).isFalse();
        assertThat(ErrorKind.CANCELLED.fallsBackGenerally()).isFalse();
        assertThat(ErrorKind.TIMEOUT.fallsBackGenerally()).isTrue();
    }
}
