package dev.aigateway.config;

import dev.aigateway.core.ConfigException;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The proxies whose {@code X-Forwarded-For} the gateway believes ({@code general_settings.trusted_proxies}, or
 * {@code GATEWAY_TRUSTED_PROXIES}): IP addresses and CIDR ranges. A peer outside them is the client itself, whatever
 * it writes in that header; otherwise any caller could pick the address it is throttled under.
 *
 * <p>Default: loopback only (127.0.0.0/8, ::1), which covers a proxy on the same machine (the Nginx of
 * {@code deploy/nginx.conf} run beside the gateway). A proxy on another host or in a container network must be
 * listed.
 */
public final class TrustedProxies {
    public static final List<String> DEFAULT = List.of("127.0.0.0/8", "::1");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private final List<Range> ranges;
    private final List<String> written;

    private TrustedProxies(List<Range> ranges, List<String> written) {
        this.ranges = ranges;
        this.written = written;
    }

    /**
     * @param entries addresses or CIDR ranges, e.g. {@code 10.0.0.0/8}, {@code 192.168.1.5}, {@code fd00::/8}
     * @param where   the setting's name, for messages
     */
    public static TrustedProxies of(List<String> entries, String where) {
        List<Range> ranges = new ArrayList<>();
        for (String raw : entries) {
            String e = raw.strip();
            if (e.isEmpty()) continue;
            int slash = e.indexOf('/');
            String ip = slash < 0 ? e : e.substring(0, slash);
            byte[] address = parse(ip);
            if (address == null) {
                throw new ConfigException(where + ": '" + raw + "' is not an IP address or CIDR range (e.g. 10.0.0.0/8, 127.0.0.1, ::1).");
            }
            int bits = address.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(e.substring(slash + 1));
                } catch (NumberFormatException x) {
                    bits = -1;
                }
                if (bits < 0 || bits > address.length * 8) {
                    throw new ConfigException(where + ": '" + raw + "' has an invalid prefix length (0 to " + address.length * 8 + ").");
                }
            }
            ranges.add(new Range(address, bits));
        }
        return new TrustedProxies(List.copyOf(ranges), entries.stream().map(String::strip).filter(s -> !s.isEmpty()).toList());
    }

    public static TrustedProxies defaults() {
        return of(DEFAULT, "trusted_proxies");
    }

    /** Whether an address (an IP literal; anything else is not trusted) is one of the proxies. */
    public boolean contains(String literalIp) {
        byte[] a = parse(literalIp);
        if (a == null) return false;
        for (Range r : ranges) {
            if (r.contains(a)) return true;
        }
        return false;
    }

    /** The entries as configured, for messages and docs. */
    public List<String> entries() {
        return written;
    }

    /**
     * The bytes of an IP literal (IPv4-mapped IPv6 addresses as IPv4), or null when the text is not one. Never a name
     * lookup: only text shaped like an address reaches {@link InetAddress#getByName}.
     */
    public static byte[] parse(String literal) {
        if (literal == null || literal.isEmpty() || literal.length() > 45) return null;
        if (IPV4.matcher(literal).matches()) {
            String[] parts = literal.split("\\.");
            byte[] out = new byte[4];
            for (int i = 0; i < 4; i++) {
                int v = Integer.parseInt(parts[i]);
                if (v > 255) return null; // else getByName would take it for a host name and look it up
                out[i] = (byte) v;
            }
            return out;
        }
        if (!IPV6.matcher(literal).matches()) return null;
        try { // text with a colon is parsed as an IPv6 literal or refused, never looked up
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private record Range(byte[] network, int bits) {
        boolean contains(byte[] a) {
            if (a.length != network.length) return false;
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != network[i]) return false;
            }
            int rest = bits % 8;
            if (rest == 0) return true;
            int mask = 0xff << (8 - rest) & 0xff;
            return (a[full] & mask) == (network[full] & mask);
        }
    }

    @Override
    public String toString() {
        return "TrustedProxies" + written;
    }
}
