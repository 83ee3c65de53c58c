package dev.aigateway.provider.vertex;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.Cancellation;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.provider.ProviderRequest;
import dev.aigateway.provider.http.HttpCall;
import dev.aigateway.provider.http.Upstream;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * Trades credentials for an access token with Google's OAuth server (or asks the metadata server for one), through
 * the gateway's non-blocking HTTP client. The exchange is shared by many calls, so a client that leaves does not
 * cancel it; it has its own short timeouts.
 */
final class TokenExchange {
    private static final Duration TOKEN_TIMEOUT = Duration.ofSeconds(15);
    /** Off Google Cloud nothing answers at the metadata address: fail fast instead of holding every call. */
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(3);
    private static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final int MAX_DESCRIPTION = 300;

    private final Upstream upstream;

    TokenExchange(Upstream upstream) {
        this.upstream = upstream;
    }

    /** @param d the deployment that needs the token: its name labels errors and its credentials are redacted from them */
    Future<AccessToken> fetch(GoogleCredentials credentials, Deployment d) {
        return switch (credentials) {
            case GoogleCredentials.ServiceAccount sa -> post(sa.tokenUri(), form("grant_type", JWT_BEARER,
                    "assertion", ServiceAccountJwt.assertion(sa, Instant.now())), d);
            case GoogleCredentials.AuthorizedUser u -> post(u.tokenUri(), form("grant_type", "refresh_token",
                    "client_id", u.clientId(), "client_secret", u.clientSecret(), "refresh_token", u.refreshToken()), d);
            case GoogleCredentials.MetadataServer m -> metadata(m.host(), d);
        };
    }

    private Future<AccessToken> post(String tokenUri, String form, Deployment d) {
        HttpCall call = HttpCall.post(tokenUri, Buffer.buffer(form), "application/x-www-form-urlencoded");
        return upstream.send(call, detached(d, TOKEN_TIMEOUT), TokenExchange::refused).map(r -> token(r.body()));
    }

    private Future<AccessToken> metadata(String host, Deployment d) {
        HttpCall call = HttpCall.get("http://" + host + "/computeMetadata/v1/instance/service-accounts/default/token")
                .header("Metadata-Flavor", "Google");
        return upstream.send(call, detached(d, METADATA_TIMEOUT), TokenExchange::refused).map(r -> token(r.body()))
                .recover(e -> Future.failedFuture(e instanceof GatewayException g && g.status() == 401 ? g
                        : GatewayException.upstream("vertex_ai found no Google credentials: set vertex_credentials or "
                        + "GOOGLE_APPLICATION_CREDENTIALS (the metadata server at " + host + " did not give a token: "
                        + e.getMessage() + ")")));
    }

    private static ProviderRequest detached(Deployment d, Duration timeout) {
        return new ProviderRequest(d.withTimeout(timeout), Json.object(), new Cancellation());
    }

    private static AccessToken token(Buffer body) {
        JsonNode n = Json.tryParse(body);
        String token = n == null ? null : n.path("access_token").asText(null);
        if (token == null || token.isEmpty()) throw GatewayException.upstream("vertex_ai: Google's token endpoint answered without an access_token.");
        return AccessToken.issued(token, n.path("expires_in").asLong(3600), System.currentTimeMillis());
    }

    /** OAuth's error body ({@code error}, {@code error_description}): the credentials were refused. */
    private static GatewayException refused(int status, MultiMap headers, Buffer body) {
        JsonNode n = Json.tryParse(body);
        String error = n == null ? "" : n.path("error").asText("");
        String description = n == null ? "" : n.path("error_description").asText("");
        if (description.length() > MAX_DESCRIPTION) description = description.substring(0, MAX_DESCRIPTION) + "...";
        String message = "vertex_ai: Google refused the credentials' token exchange (" + status
                + (error.isEmpty() ? "" : " " + error) + (description.isEmpty() ? "" : ": " + description)
                + "). Check vertex_credentials / GOOGLE_APPLICATION_CREDENTIALS.";
        return status >= 500 ? GatewayException.upstream(message) : GatewayException.invalidKey(message);
    }

    private static String form(String... pairs) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            if (!b.isEmpty()) b.append('&');
            b.append(pairs[i]).append('=').append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return b.toString();
    }
}
