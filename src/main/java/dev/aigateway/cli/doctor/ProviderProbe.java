package dev.aigateway.cli.doctor;

import dev.aigateway.core.Deployment;
import dev.aigateway.provider.Provider;
import dev.aigateway.provider.Providers;
import dev.aigateway.provider.http.HttpCall;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The cheapest authenticated call a deployment's provider has (listing its models: free, no tokens), as the provider
 * itself builds it ({@link Provider#probe}): the same auth headers and API versions as its real calls, sent by the
 * doctor's own HTTP client.
 *
 * @param url     null when the provider needs no check (mock) or cannot be asked (Azure without api_base)
 * @param headers the request's headers, credentials included
 * @param keyed   the provider authenticates with a key (Ollama does not)
 */
record ProviderProbe(String url, Map<String, String> headers, boolean keyed) {
    private static final Providers PROVIDERS = Providers.withoutTransport();

    static ProviderProbe of(Deployment d) {
        Provider p = PROVIDERS.get(d.provider());
        if (p == null) return new ProviderProbe(null, Map.of(), true); // config loading refuses unknown prefixes first
        HttpCall call = p.probe(d);
        if (call == null) return new ProviderProbe(null, Map.of(), p.usesApiKey());
        Map<String, String> h = new LinkedHashMap<>();
        call.headers().forEach(e -> h.put(e.getKey(), e.getValue()));
        return new ProviderProbe(call.url(), h, p.usesApiKey());
    }

    /** Only a check of the provider's answer: mock needs none, and some (Azure without api_base) cannot be asked. */
    boolean checkable() {
        return url != null;
    }
}
