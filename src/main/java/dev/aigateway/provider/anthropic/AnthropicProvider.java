package dev.aigateway.provider.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.error.GatewayException;
import dev.aigateway.provider.ChunkSink;
import dev.aigateway.provider.Provider;
import dev.aigateway.provider.ProviderRequest;
import dev.aigateway.provider.http.Upstream;
import io.vertx.core.Future;

/** PLACEHOLDER: being written (see issue 2). */
public final class AnthropicProvider implements Provider {
    private final Upstream upstream;

    public AnthropicProvider(Upstream upstream) {
        this.upstream = upstream;
    }

    @Override
    public String name() {
        return "anthropic";
    }

    @Override
    public Future<ObjectNode> chat(ProviderRequest request) {
        return Future.failedFuture(GatewayException.serverError("anthropic: not yet implemented"));
    }

    @Override
    public Future<Void> chatStream(ProviderRequest request, ChunkSink sink) {
        return Future.failedFuture(GatewayException.serverError("anthropic: not yet implemented"));
    }
}
