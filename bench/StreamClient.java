import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Benchmark load client for streaming chat completions (not part of the gateway): opens N concurrent
 * {@code stream: true} requests (started evenly over RAMP_MS, each on its own connection) and measures per
 * stream the time to first chunk (from just before the request is issued), the gaps between chunks, and
 * each chunk's delivery latency (arrival time minus the "bench_ns" send time stamped by SseUpstream).
 * A stream counts as an error when its status is not 200, the connection fails, it carries an error event,
 * it ends without [DONE], or it has not finished by TIMEOUT_MS.
 *
 * Short warm-up rounds (100 streams of 10 chunks, capped by max_tokens; 3 unless WARM_ROUNDS says) come first
 * and are not reported.
 *
 * <p>Run: {@code java -cp target/ai-gateway.jar bench/StreamClient.java URL STREAMS RAMP_MS TIMEOUT_MS [API_KEY] [MODEL] [WARM_ROUNDS]}.
 * Prints one line {@code RESULT key=value ...} (times in microseconds) and up to 5 sample errors on stderr.
 */
public class StreamClient {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        int streams = Integer.parseInt(args[1]);
        long rampMs = Long.parseLong(args[2]);
        long timeoutMs = Long.parseLong(args[3]);
        String key = args.length > 4 ? args[4] : "sk-none";
        String model = args.length > 5 ? args[5] : "gpt-4o-mini";
        int warmRounds = args.length > 6 ? Integer.parseInt(args[6]) : 3;

        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setPreferNativeTransport(true));
        HttpClient client = vertx.httpClientBuilder()
                .with(new HttpClientOptions().setTcpNoDelay(true).setKeepAlive(true).setIdleTimeout(0).setConnectTimeout(60_000))
                .with(new PoolOptions().setHttp1MaxSize(streams).setMaxWaitQueueSize(-1))
                .build();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
                .putHeader("content-type", "application/json").putHeader("authorization", "Bearer " + key);

        // Warm-up: short streams (max_tokens caps the upstream's chunks) so that neither this JVM, the upstream
        // nor the gateway is measured cold. Their connections are closed before the measured round.
        int warm = Math.min(streams, 100);
        for (int round = 0; round < warmRounds; round++) {
            Round w = new Round(vertx, client, options, body(model, 10), warm, 100);
            w.await(30_000);
            if (w.errorCount.get() > 0) System.err.println("warm-up round " + round + ": " + w.errorCount.get() + " errors, e.g. " + w.errorSamples.peek());
        }
        client.close().await();
        client = vertx.httpClientBuilder()
                .with(new HttpClientOptions().setTcpNoDelay(true).setKeepAlive(true).setIdleTimeout(0).setConnectTimeout(60_000))
                .with(new PoolOptions().setHttp1MaxSize(streams).setMaxWaitQueueSize(-1))
                .build();

        Round r = new Round(vertx, client, options, body(model, 0), streams, rampMs);
        boolean allDone = r.await(timeoutMs);
        long wallMs = (System.nanoTime() - r.t0) / 1_000_000;
        int unfinished = 0;
        for (Stream s : r.all) {
            synchronized (s) {
                if (!s.finished) unfinished++;
            }
        }

        LongList ttft = new LongList();
        LongList gaps = new LongList();
        LongList lat = new LongList();
        long chunks = 0;
        int ok = 0;
        for (Stream s : r.all) {
            synchronized (s) {
                if (s.ttftNs >= 0) ttft.add(s.ttftNs / 1000);
                gaps.addAll(s.gaps);
                lat.addAll(s.lat);
                chunks += s.chunks;
                if (s.finished && !s.failed) ok++;
            }
        }
        int errors = r.errorCount.get() + unfinished;
        System.out.printf("RESULT streams=%d ok=%d errors=%d unfinished=%d chunks=%d wall_ms=%d"
                        + " ttft_p50_us=%d ttft_p99_us=%d ttft_max_us=%d gap_p50_us=%d gap_p99_us=%d gap_max_us=%d"
                        + " lat_p50_us=%d lat_p99_us=%d lat_max_us=%d%n",
                streams, ok, errors, unfinished, chunks, wallMs,
                ttft.pct(50), ttft.pct(99), ttft.pct(100), gaps.pct(50), gaps.pct(99), gaps.pct(100),
                lat.pct(50), lat.pct(99), lat.pct(100));
        int shown = 0;
        for (String e : r.errorSamples) {
            if (shown++ == 5) break;
            System.err.println("stream error: " + e);
        }
        if (!allDone) System.err.println("stream client: " + unfinished + " streams had not finished after " + timeoutMs + " ms");
        System.out.flush();
        System.exit(0); // do not wait for unfinished streams to close
    }

    static Buffer body(String model, int maxTokens) {
        return Buffer.buffer("{\"model\":\"" + model + "\",\"stream\":true,"
                + (maxTokens > 0 ? "\"max_tokens\":" + maxTokens + "," : "")
                + "\"messages\":[{\"role\":\"system\",\"content\":\"You are a helpful assistant.\"},"
                + "{\"role\":\"user\",\"content\":\"Write a long story about a lighthouse keeper.\"}]}");
    }

    /** N streams started evenly over rampMs. */
    static final class Round {
        final Stream[] all;
        final CountDownLatch finished;
        final ConcurrentLinkedQueue<String> errorSamples = new ConcurrentLinkedQueue<>();
        final AtomicInteger errorCount = new AtomicInteger();
        final long t0 = System.nanoTime();

        Round(Vertx vertx, HttpClient client, RequestOptions options, Buffer body, int streams, long rampMs) {
            all = new Stream[streams];
            finished = new CountDownLatch(streams);
            for (int i = 0; i < streams; i++) {
                Stream s = new Stream(finished, errorSamples, errorCount);
                all[i] = s;
                long delay = streams > 1 ? rampMs * i / (streams - 1) : 0;
                Runnable start = () -> {
                    s.startNs = System.nanoTime();
                    client.request(options).compose(req -> req.send(body)).onComplete(ar -> {
                        if (ar.failed()) {
                            s.fail("request failed: " + ar.cause());
                            return;
                        }
                        var resp = ar.result();
                        if (resp.statusCode() != 200) {
                            resp.body().onComplete(b -> s.fail("status " + resp.statusCode() + ": "
                                    + (b.succeeded() ? truncate(b.result().toString()) : b.cause())));
                            return;
                        }
                        resp.handler(s::onData);
                        resp.exceptionHandler(t -> s.fail("stream broke: " + t));
                        resp.endHandler(v -> s.onEnd());
                    });
                };
                if (delay <= 0) start.run();
                else vertx.setTimer(delay, id -> start.run());
            }
        }

        boolean await(long timeoutMs) throws InterruptedException {
            return finished.await(timeoutMs, TimeUnit.MILLISECONDS);
        }
    }

    static String truncate(String s) {
        s = s.replace('\n', ' ');
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    /** One stream's state; its handlers all run on the stream connection's event loop. */
    static final class Stream {
        final CountDownLatch finished_;
        final ConcurrentLinkedQueue<String> errorSamples;
        final AtomicInteger errorCount;
        final LongList gaps = new LongList();
        final LongList lat = new LongList();
        long startNs;
        long ttftNs = -1;
        long lastNs;
        long chunks;
        boolean done;
        boolean finished;
        boolean failed;
        /** Bytes of an event not yet terminated by a blank line. */
        private byte[] pending = new byte[0];

        Stream(CountDownLatch finished, ConcurrentLinkedQueue<String> errorSamples, AtomicInteger errorCount) {
            this.finished_ = finished;
            this.errorSamples = errorSamples;
            this.errorCount = errorCount;
        }

        synchronized void onData(Buffer buf) {
            long now = System.nanoTime();
            byte[] in = buf.getBytes();
            byte[] all;
            if (pending.length == 0) {
                all = in;
            } else {
                all = Arrays.copyOf(pending, pending.length + in.length);
                System.arraycopy(in, 0, all, pending.length, in.length);
            }
            int start = 0;
            for (int i = 1; i < all.length; i++) {
                if (all[i] == '\n' && all[i - 1] == '\n') {
                    event(new String(all, start, i - 1 - start, StandardCharsets.UTF_8), now);
                    start = i + 1;
                }
            }
            pending = start >= all.length ? new byte[0] : Arrays.copyOfRange(all, start, all.length);
        }

        private void event(String event, long now) {
            String data = event.startsWith("data: ") ? event.substring(6) : event.startsWith("data:") ? event.substring(5) : null;
            if (data == null) return; // comment or other field
            if (data.equals("[DONE]")) {
                done = true;
                return;
            }
            if (data.startsWith("{\"error\"")) {
                fail("error event: " + truncate(data));
                return;
            }
            if (data.contains("\"choices\":[]")) return; // usage-only chunk
            chunks++;
            if (ttftNs < 0) ttftNs = now - startNs;
            else gaps.add((now - lastNs) / 1000);
            lastNs = now;
            int at = data.indexOf("\"bench_ns\":");
            if (at >= 0) {
                int from = at + 11;
                int to = from;
                while (to < data.length() && Character.isDigit(data.charAt(to))) to++;
                if (to > from) lat.add((now - Long.parseLong(data.substring(from, to))) / 1000);
            }
        }

        synchronized void onEnd() {
            if (!done) {
                fail("stream ended without [DONE]");
                return;
            }
            if (!finished) {
                finished = true;
                finished_.countDown();
            }
        }

        synchronized void fail(String why) {
            if (finished) return;
            finished = true;
            failed = true;
            errorCount.incrementAndGet();
            errorSamples.add(why);
            finished_.countDown();
        }
    }

    /** A growable array of longs with nearest-rank percentiles. */
    static final class LongList {
        long[] a = new long[64];
        int n;

        void add(long v) {
            if (n == a.length) a = Arrays.copyOf(a, n * 2);
            a[n++] = v;
        }

        void addAll(LongList o) {
            for (int i = 0; i < o.n; i++) add(o.a[i]);
        }

        /** Nearest-rank percentile (100 = max); -1 when empty. */
        long pct(double p) {
            if (n == 0) return -1;
            long[] s = Arrays.copyOf(a, n);
            Arrays.sort(s);
            int idx = (int) Math.ceil(p / 100.0 * n) - 1;
            return s[Math.max(0, Math.min(n - 1, idx))];
        }
    }
}
