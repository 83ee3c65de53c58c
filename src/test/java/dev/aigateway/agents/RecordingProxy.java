package dev.aigateway.agents;

import dev.aigateway.fakes.FakeUpstream;
import dev.aigateway.fakes.Scenario;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sits between an agent and the gateway and records what the agent sent (every request exactly as it arrived, via
 * {@link #requests()}) and what it got back (status and, for errors, the body), forwarding everything unchanged and
 * streaming answers through chunk by chunk. This is how a test learns what a real client sends, not what we think
 * it sends.
 */
final class RecordingProxy extends FakeUpstream {
    /** The gateway's answer to one recorded request; the body is kept only for error statuses. */
    record Answer(int status, String contentType, String errorBody) {}

    private static final Set<String> HOP_BY_HOP = Set.of("host", "connection", "content-length", "transfer-encoding", "keep-alive");

    private final HttpClient client;
    private final int targetPort;
    // by identity: two identical requests (an agent's retry) are still two answers
    private final Map<Recorded, Answer> answers = Collections.synchronizedMap(new IdentityHashMap<>());

    RecordingProxy(int targetPort) {
        this.client = vertx.createHttpClient();
        this.targetPort = targetPort;
    }

    Answer answer(Recorded request) {
        return answers.get(request);
    }

    List<Recorded> sent() {
        return requests();
    }

    @Override
    protected void handle(HttpServerRequest req, Recorded rec, Scenario ignored) {
        HttpServerResponse out = req.response();
        RequestOptions options = new RequestOptions().setMethod(req.method()).setHost("127.0.0.1").setPort(targetPort).setURI(req.uri());
        client.request(options).compose(upstream -> {
            req.headers().forEach((name, value) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT))) upstream.headers().add(name, value);
            });
            return upstream.send(rec.body());
        }).onSuccess(in -> {
            out.setStatusCode(in.statusCode());
            in.headers().forEach((name, value) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT))) out.headers().add(name, value);
            });
            out.setChunked(true);
            Buffer errorBody = Buffer.buffer();
            in.handler(chunk -> {
                if (in.statusCode() >= 400) errorBody.appendBuffer(chunk);
                out.write(chunk);
            });
            in.endHandler(v -> {
                answers.put(rec, new Answer(in.statusCode(), in.getHeader("content-type"), errorBody.toString()));
                out.end();
            });
        }).onFailure(t -> {
            answers.put(rec, new Answer(502, null, String.valueOf(t)));
            out.setStatusCode(502).end();
        });
    }
}
