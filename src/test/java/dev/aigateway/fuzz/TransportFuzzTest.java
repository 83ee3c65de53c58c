package dev.aigateway.fuzz;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP layer under abuse, over raw sockets: garbage request lines, HTTP versions and methods that do not exist,
 * thousands of headers, lying or contradictory Content-Length and Transfer-Encoding, broken chunked bodies, pipelined
 * requests, and clients that stall (slow headers, a body that never comes, idle connections). Asserts: no 500, every
 * answer within the bound or a closed connection, a stalled client never delays anyone else, and the gateway still
 * serves at the end. Holds with or without the header/body/keep-alive timeouts and connection limit
 * (GATEWAY_HEADER_TIMEOUT_SECONDS and friends are set; a gateway that does not know them ignores them).
 */
class TransportFuzzTest {
    static final int CI_CASES = 1000;
    static final String CHAT = "{\"model\":\"mock\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Test
    void garbageAndContradictoryFramingNeverGetA500() {
        long seed = Gen.seed();
        int cases = Gen.cases(CI_CASES);
        int only = Gen.onlyCase();
        try (FuzzGateway world = new FuzzGateway()) {
            FuzzRun run = new FuzzRun("transport", seed, world);
            world.log.drain();
            for (int i = 0; i < cases && !run.full(); i++) {
                if (only >= 0 && i != only) continue;
                Gen g = Gen.forCase(seed, "transport", i);
                byte[] bytes = garbage(g, world);
                RequestGen.Case c = new RequestGen.Case(Route.UNKNOWN, FuzzGateway.Role.MASTER, new RawExchange.Request("RAW",
                        printable(bytes), List.of(), new byte[0], RawExchange.Framing.NONE), null, null);
                RawExchange.Response r = RawExchange.exchange(world.port(), bytes, false, true, FuzzGateway.TIMEOUT_MS);
                run.count(c, r);
                List<String> v = new ArrayList<>();
                if (notHttp1(bytes) && r.status() == 501 && r.body().length == 0) {
                    // Not an HTTP/1.x client at all (HTTP/9.9, an HTTP/2 preface on this HTTP/1.1 port): Vert.x answers a
                    // bare 501 and closes before any handler of ours runs. Documented in docs/api.md; not OpenAI's to shape.
                } else if (r.status() >= 500) v.add(r.status() + " from the gateway");
                if (r.timedOut()) v.add("no answer and no close within " + FuzzGateway.TIMEOUT_MS + " ms: " + r.failure());
                if (r.status() >= 400 && r.status() != 501) {
                    if (r.body().length == 0) v.add(r.status() + " with an empty body (errors must be OpenAI-shaped JSON)");
                    else if (Invariants.errorCode(r.bodyText()) == null && !r.bodyText().contains("\"error\"")) v.add(r.status() + " error body is not OpenAI-shaped JSON");
                }
                for (Secrets.Hit h : world.secrets.find(r.headerText() + r.bodyText())) {
                    if (h.serverSecret() || !new String(bytes, StandardCharsets.ISO_8859_1).contains(h.value())) v.add("secret in the answer: " + h.name());
                }
                v.addAll(run.logViolations());
                if (!v.isEmpty()) run.fail(i, c, r, v);
            }
            List<String> alive = world.stillServes();
            run.logViolations();
            System.out.println(run.summary());
            assertThat(alive).as("the gateway still serves after the run").isEmpty();
            assertThat(run.failures).as("transport fuzz failures (seed %d)", seed).isEmpty();
        }
    }

    /** One malformed exchange, as bytes (the socket is half-closed after them, so a request that wants more ends). */
    static byte[] garbage(Gen g, FuzzGateway world) {
        String auth = "Authorization: Bearer " + FuzzGateway.MASTER_KEY + "\r\n";
        String body = CHAT;
        String s = switch (g.nextInt(22)) {
            case 0 -> new String(g.bytes(g.between(1, 2000)), StandardCharsets.ISO_8859_1);
            case 1 -> "GET /v1/models HTTP/9.9\r\nHost: x\r\n" + auth + "\r\n";
            case 2 -> "GET\r\n\r\n";
            case 3 -> "GET /" + "a".repeat(g.pick(4_000, 5_000, 70_000)) + " HTTP/1.1\r\nHost: x\r\n\r\n";
            case 4 -> "get /v1/models HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n";
            case 5 -> "GET http://evil.example/v1/models HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n";
            case 6 -> "GET /v1/models HTTP/1.0\r\n" + auth + "\r\n";
            case 7 -> "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
            case 8 -> {
                StringBuilder b = new StringBuilder("GET /v1/models HTTP/1.1\r\nHost: x\r\n" + auth);
                for (int i = g.between(100, 3000); i > 0; i--) b.append("X-H").append(i).append(": v\r\n");
                yield b.append("\r\n").toString();
            }
            case 9 -> "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: application/json\r\nContent-Length: "
                    + g.pick("-1", "abc", "99999999999999999999", "1e3", " 5", "0x10", "") + "\r\n\r\n" + body;
            case 10 -> "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: application/json\r\nContent-Length: "
                    + body.length() + "\r\nContent-Length: " + (body.length() + 5) + "\r\n\r\n" + body;
            case 11 -> "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: application/json\r\nContent-Length: 4\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n";
            case 12 -> "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + g.pick("-5", "ffffffffffffffffff", "zz", "5;ext=\u0001", "", "1000000") + "\r\n" + body + "\r\n0\r\n\r\n";
            case 13 -> "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n"; // no last chunk, then half-close
            case 14 -> "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: application/json\r\nTransfer-Encoding: "
                    + g.pick("gzip, chunked", "chunked, identity", "identity", "xchunked", "chunked\r\nTransfer-Encoding: chunked") + "\r\n\r\n"
                    + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n";
            case 15 -> { // pipelined: a chat and a models call in one write (only the first answer is read)
                String one = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: application/json\r\nContent-Length: "
                        + body.length() + "\r\n\r\n" + body;
                yield one + "GET /v1/models HTTP/1.1\r\nHost: x\r\n" + auth + "Connection: close\r\n\r\n";
            }
            case 16 -> "GET /v1/models HTTP/1.1\r\nHost: x\r\n" + auth + "X-Bad\u0000Name: v\r\n\r\n";
            case 17 -> "GET /v1/models HTTP/1.1\r\nHost: x\r\n" + auth + " folded-continuation\r\n\r\n";
            case 18 -> "GET /v1/models HTTP/1.1\r\nHost: x\r\n" + auth + "NoColonHeader\r\n\r\n";
            case 19 -> "GET /v1/models HTTP/1.1\nHost: x\n" + auth.replace("\r\n", "\n") + "\n";
            case 20 -> "\r\n\r\n\r\nGET /v1/models HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n";
            default -> "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n" + auth + "Expect: " + g.pick("100-continue", "200-ok", "\u00e9")
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
        };
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String printable(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(b.length, 600); i++) {
            int c = b[i] & 0xFF;
            s.append(c >= 0x20 && c < 0x7F ? Character.toString(c) : c == '\r' ? "\\r" : c == '\n' ? "\\n" : String.format("\\x%02x", c));
        }
        return b.length > 600 ? s + "...(" + b.length + " bytes)" : s.toString();
    }

    /**
     * Clients that stall must not hold up anyone else: 40 connections that dribble their headers, 40 that declare a
     * body and send a part of it, and 200 idle ones stay open while ordinary chats are served, each well within the
     * bound. Without header/body timeouts the stalled ones stay open; with them they are closed; either way the
     * ordinary clients are served.
     */
    @Test
    void stalledClientsDoNotHoldUpOthers() throws Exception {
        try (FuzzGateway world = new FuzzGateway()) {
            List<Socket> stalled = new ArrayList<>();
            try {
                for (int i = 0; i < 40; i++) stalled.add(openAndWrite(world.port(), "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthor"));
                for (int i = 0; i < 40; i++) stalled.add(openAndWrite(world.port(), "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
                        + "Authorization: Bearer " + FuzzGateway.MASTER_KEY + "\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n{\"model\":"));
                for (int i = 0; i < 200; i++) stalled.add(openAndWrite(world.port(), ""));
                for (int round = 0; round < 20; round++) {
                    for (Socket s : stalled.subList(0, 40)) dribble(s, "a"); // slow headers: a byte now and then
                    RawExchange.Response r = world.call("POST", "/v1/chat/completions", world.keys.get(FuzzGateway.Role.DEFAULT), CHAT);
                    assertThat(r.status()).as("an ordinary chat while 280 clients stall: %s %s", r.failure(), r.bodyText()).isEqualTo(200);
                    assertThat(r.millis()).as("an ordinary chat while 280 clients stall (ms)").isLessThan(10_000);
                }
                // the 1 MB of a slowly-arriving large body must not block a request on another connection either
                assertThat(world.stillServes()).isEmpty();
            } finally {
                for (Socket s : stalled) s.close();
            }
            assertThat(world.stillServes()).as("after the stalled clients left").isEmpty();
            List<String> logged = new FuzzRun("transport", 0, world).logViolations();
            assertThat(logged).as("what was logged").isEmpty();
        }
    }

    private static Socket openAndWrite(int port, String text) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        if (!text.isEmpty()) {
            OutputStream out = s.getOutputStream();
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        return s;
    }

    private static void dribble(Socket s, String text) {
        try {
            s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException closedByTheGateway) {
            // a header timeout closed it: that is allowed
        }
    }

    /** Whether the request line names a protocol version other than HTTP/1.0 and HTTP/1.1. */
    private static boolean notHttp1(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int eol = text.indexOf("\r\n");
        String line = eol < 0 ? text : text.substring(0, eol);
        return !line.endsWith(" HTTP/1.1") && !line.endsWith(" HTTP/1.0");
    }
}
