package dev.aigateway.provider.ollama;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.error.GatewayException;
import dev.aigateway.provider.ChunkSink;
import dev.aigateway.provider.Provider;
import dev.aigateway.provider.ProviderRequest;
import dev.aigateway.provider.http.Upstream;
import io.vertx.core.Future;

/** PLACEHOLDER: being written (see issue 2). */
public final class OllamaProvider implements Provider {
    private final Upstream upstream;

    public OllamaProvider(Upstream upstream) {
        this.upstream = upstream;
    }

    @Override
    public String name() {
        return "ollama";
    }

    @Override
    public Future<ObjectNode> chat(ProviderRequest request) {
        return Future.failedFuture(GatewayException.serverError("ollama: not yet implemented"));
    }

    @Override
    public Future<Void> chatStream(ProviderRequest request, ChunkSink sink) {
        return Future.failedFuture(GatewayException.serverError("ollama: not yet implemented"));
    }
}
