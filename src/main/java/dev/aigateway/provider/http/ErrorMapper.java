package dev.aigateway.provider.http;

import dev.aigateway.core.GatewayException;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/** Turns a provider's non-2xx answer (its own error body) into the gateway's error. */
@FunctionalInterface
public interface ErrorMapper {
    GatewayException map(int status, MultiMap headers, Buffer body);
}
