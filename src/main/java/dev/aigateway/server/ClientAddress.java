package dev.aigateway.server;

import dev.aigateway.config.TrustedProxies;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * The client address a request is throttled under (login attempts, wrong keys).
 *
 * <p>The peer's address, unless the peer is a trusted proxy ({@link TrustedProxies}): then X-Forwarded-For is read
 * from the right (each proxy appends the address it saw), skipping trusted proxies, and the first address that is not
 * one is the client. A peer that is not a trusted proxy is the client whatever it writes in that header, so nobody
 * can choose the bucket they are counted in. An IPv6 client counts as its /64: one host usually holds a whole /64,
 * and counting single addresses would give it 2^64 buckets.
 */
public final class ClientAddress {
    /** At most this many X-Forwarded-For entries are looked at (a chain of proxies is short; a header may be long). */
    private static final int MAX_HOPS = 16;

    private ClientAddress() {}

    public static String of(HttpServerRequest req, TrustedProxies trusted) {
        SocketAddress peer = req.remoteAddress();
        String host = peer == null ? null : peer.hostAddress();
        if (host == null) return "unknown";
        if (!trusted.contains(host)) return bucket(host);
        String xff = req.getHeader("x-forwarded-for");
        if (xff == null || xff.isBlank()) return bucket(host);
        String client = host;
        int end = xff.length();
        for (int hop = 0; hop < MAX_HOPS && end > 0; hop++) {
            int comma = xff.lastIndexOf(',', end - 1);
            String entry = xff.substring(comma + 1, end).strip();
            if (TrustedProxies.parse(entry) == null) break; // not an address: a trusted proxy would not write that
            client = entry;
            if (!trusted.contains(entry)) break;
            end = comma < 0 ? 0 : comma;
        }
        return bucket(client);
    }

    /** IPv4 as is; IPv6 as its /64 prefix. */
    static String bucket(String literalIp) {
        byte[] a = TrustedProxies.parse(literalIp);
        if (a == null) return literalIp;
        if (a.length == 4) return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
        StringBuilder b = new StringBuilder(24);
        for (int i = 0; i < 8; i += 2) b.append(Integer.toHexString((a[i] & 0xff) << 8 | a[i + 1] & 0xff)).append(':');
        return b.append(":/64").toString();
    }
}
