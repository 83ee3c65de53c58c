import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark fake of an OpenAI streaming upstream (not part of the gateway). POST .../chat/completions with
 * "stream": true answers with Server-Sent Events: the first chunk at once, then one chunk every INTERVAL ms
 * for DURATION ms, then a finish chunk, a usage chunk and [DONE]. Every chunk carries "bench_ns", the
 * sender's System.nanoTime() (CLOCK_MONOTONIC, comparable across processes on one Linux machine), so the
 * client can measure delivery latency. A request's "max_tokens" caps the number of content chunks (the
 * client's warm-up uses it for short streams). A non-stream request gets a fixed chat.completion.
 *
 * <p>Run: {@code java -cp target/ai-gateway.jar bench/SseUpstream.java PORT [INTERVAL_MS] [DURATION_MS] [EVENT_LOOPS]}.
 * Prints {@code LISTENING <port>} once it accepts connections (PORT 0 picks a free one).
 */
public class SseUpstream {
    static final Pattern MAX_TOKENS = Pattern.compile("\"max_tokens\"\\s*:\\s*(\\d+)");
    static final String COMPLETION = "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1700000000,"
            + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
            + "\"content\":\"Hello! How can I help you today?\"},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":9,\"total_tokens\":21}}";

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long intervalMs = args.length > 1 ? Long.parseLong(args[1]) : 20;
        long durationMs = args.length > 2 ? Long.parseLong(args[2]) : 10_000;
        int loops = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true));
        List<Server> servers = new ArrayList<>();
        vertx.deployVerticle(() -> {
            Server s = new Server(port, intervalMs, durationMs);
            synchronized (servers) { servers.add(s); }
            return s;
        }, new DeploymentOptions().setInstances(loops)).await();
        System.out.println("LISTENING " + servers.get(0).server.actualPort());
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try { vertx.close().await(); } catch (Exception ignored) { }
        }));
        Thread.currentThread().join();
    }

    /**
     * One per event loop: its own server (sharing the port) and one 1 ms timer that feeds its streams. Each stream
     * keeps the phase it started with (bucket = start millisecond modulo the interval), so streams opened at
     * different times get their chunks at different times, as independent LLM streams do, instead of all in one
     * burst. Ticks the timer missed (a busy machine) are caught up, so no stream skips an interval.
     */
    static final class Server extends VerticleBase {
        final int port;
        final int intervalMs;
        final long durationNs;
        final List<Stream>[] buckets;
        final long t0 = System.nanoTime();
        long doneMs;
        HttpServer server;

        @SuppressWarnings("unchecked")
        Server(int port, long intervalMs, long durationMs) {
            this.port = port;
            this.intervalMs = (int) Math.max(1, intervalMs);
            this.durationNs = durationMs * 1_000_000L;
            this.buckets = new List[this.intervalMs];
            for (int i = 0; i < buckets.length; i++) buckets[i] = new ArrayList<>();
        }

        @Override
        public Future<?> start() {
            vertx.setPeriodic(1, id -> tick());
            server = vertx.createHttpServer(new HttpServerOptions().setPort(port).setHost("127.0.0.1")
                    .setTcpNoDelay(true).setAcceptBacklog(8192).setIdleTimeout(0)).requestHandler(this::handle);
            return server.listen();
        }

        private long nowMs() {
            return (System.nanoTime() - t0) / 1_000_000L;
        }

        private void handle(HttpServerRequest req) {
            if (!req.path().endsWith("/chat/completions")) {
                req.response().setStatusCode(404).end("{\"error\":{\"message\":\"not found\",\"type\":\"invalid_request_error\"}}");
                return;
            }
            req.body().onSuccess(body -> {
                String b = body.toString();
                // The gateway re-serializes compactly; clients may add a space after the colon.
                boolean stream = b.contains("\"stream\":true") || b.contains("\"stream\": true");
                HttpServerResponse resp = req.response();
                if (!stream) {
                    resp.putHeader("content-type", "application/json").end(COMPLETION);
                    return;
                }
                resp.setChunked(true).putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-cache");
                Matcher m = MAX_TOKENS.matcher(b);
                Stream s = new Stream(resp, System.nanoTime(), m.find() ? Integer.parseInt(m.group(1)) : Integer.MAX_VALUE);
                resp.write(chunk("{\"role\":\"assistant\",\"content\":\"Hello\"}", "null", s.seq++));
                resp.closeHandler(v -> s.closed = true);
                tick(); // catch up, so that this stream's bucket is next visited one interval from now
                buckets[(int) (doneMs % intervalMs)].add(s);
            });
        }

        private void tick() {
            long now = nowMs();
            while (doneMs < now) {
                doneMs++;
                feed(buckets[(int) (doneMs % intervalMs)]);
            }
        }

        private void feed(List<Stream> bucket) {
            long now = System.nanoTime();
            for (Iterator<Stream> it = bucket.iterator(); it.hasNext(); ) {
                Stream s = it.next();
                if (s.closed) {
                    it.remove();
                    continue;
                }
                if (now - s.startNs >= durationNs || s.seq >= s.maxChunks) {
                    Buffer last = chunk("{}", "\"stop\"", s.seq++)
                            .appendString("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                                    + "\"model\":\"gpt-4o-mini\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":"
                                    + s.seq + ",\"total_tokens\":" + (12 + s.seq) + "}}\n\n")
                            .appendString("data: [DONE]\n\n");
                    s.resp.end(last);
                    it.remove();
                } else {
                    s.resp.write(chunk("{\"content\":\" token\"}", "null", s.seq++));
                }
            }
        }

        private static Buffer chunk(String delta, String finish, int seq) {
            return Buffer.buffer(240).appendString("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\","
                    + "\"created\":1700000000,\"model\":\"gpt-4o-mini\",\"bench_seq\":" + seq + ",\"bench_ns\":" + System.nanoTime()
                    + ",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finish + "}]}\n\n");
        }
    }

    static final class Stream {
        final HttpServerResponse resp;
        final long startNs;
        final int maxChunks;
        int seq;
        boolean closed;

        Stream(HttpServerResponse resp, long startNs, int maxChunks) {
            this.resp = resp;
            this.startNs = startNs;
            this.maxChunks = maxChunks;
        }
    }
}
