package dev.aigateway.provider.http;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

/** One upstream HTTP request as a provider builds it: absolute URL, headers (credentials included), body. */
public record HttpCall(HttpMethod method, String url, MultiMap headers, Buffer body) {

    public static HttpCall postJson(String url, Buffer body) {
        return post(url, body, "application/json");
    }

    /** A POST of {@code body} as {@code contentType} (a form upload), answered in JSON. */
    public static HttpCall post(String url, Buffer body, String contentType) {
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        h.set("content-type", contentType);
        h.set("accept", "application/json");
        return new HttpCall(HttpMethod.POST, url, h, body);
    }

    public static HttpCall get(String url) {
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        h.set("accept", "application/json");
        return new HttpCall(HttpMethod.GET, url, h, null);
    }

    public HttpCall header(String name, String value) {
        headers.set(name, value);
        return this;
    }

    @Override
    public String toString() {
        return method + " " + url; // headers hold credentials: never printed
    }
}
