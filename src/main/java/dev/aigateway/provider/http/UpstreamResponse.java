package dev.aigateway.provider.http;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/** A complete (non-streamed) upstream answer with a 2xx status. */
public record UpstreamResponse(int status, MultiMap headers, Buffer body) {}
