package dev.aigateway.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Adversarial JSON: values of the wrong type, numbers at and past every edge (NaN, 1e308, 1e400, 2^63, -0), long,
 * unicode and control-character strings, deep nesting, and text-level damage a tree cannot express (truncation,
 * duplicate keys, trailing tokens, invalid UTF-8, NaN literals).
 */
public final class Weird {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** A text node carrying this marker is written as the raw token after it (NaN, 1e400...), see {@link #write}. */
    private static final String RAW = "\u0000RAW:";
    private static final Pattern RAW_TOKEN = Pattern.compile("\"\\\\u0000RAW:(.*?)\\\\u0000\"");

    static final List<String> RAW_NUMBERS = List.of("NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1E+2147483648",
            "123456789012345678901234567890123456789", "-0", "0.0000000000000000000000000000001", "1e-400", "00012", "1.", ".5",
            "+1", "0x10", "1_000");

    static final List<String> STRINGS = List.of("", " ", "null", "true", "0", "-1", "NaN", "\u0000", "\u0001\u0002\u001f",
            "line\r\nbreak", "\r\nX-Injected: yes", "tab\there", "\u202Eright-to-left", "emoji \uD83D\uDE00\uD83D\uDE4F", "\uD800",
            "\uDFFF lone", "\uFEFFbom", "\\", "\"", "<script>alert(1)</script>", "'; DROP TABLE keys; --", "../../etc/passwd",
            "%00", "%s%s%n", "${jndi:ldap://127.0.0.1/x}", "os.environ/GATEWAY_MASTER_KEY", "os.environ/GATEWAY_SALT_KEY",
            "os.environ/DATABASE_URL", "os.environ/PATH", "Ω≈ç√∫", "日本語", "مرحبا", "\u00e9\u0301", "zero\u200Bwidth",
            "a".repeat(300), "mock", "gpt", "claude", "silent", "*", "openai/*", "/chat/completions", "sk-", "sk-x",
            "2026-01-01T00:00:00Z", "9999-12-31", "+999999999-12-31T23:59:59Z", "-999999999-01-01", "1mo", "0s", "-5d",
            "100000000y", "30d", "1e308");

    private Weird() {}

    public static JsonNode raw(String token) {
        return F.textNode(RAW + token + "\u0000");
    }

    /** A number near or past an edge. */
    public static JsonNode number(Gen g) {
        return switch (g.nextInt(16)) {
            case 0 -> F.numberNode(0);
            case 1 -> F.numberNode(-1);
            case 2 -> F.numberNode(Integer.MAX_VALUE);
            case 3 -> F.numberNode(Integer.MAX_VALUE + 1L);
            case 4 -> F.numberNode(Long.MAX_VALUE);
            case 5 -> F.numberNode(Long.MIN_VALUE);
            case 6 -> F.numberNode(new BigInteger("9223372036854775808"));
            case 7 -> F.numberNode(1e308);
            case 8 -> F.numberNode(-1e308);
            case 9 -> F.numberNode(Double.MIN_VALUE);
            case 10 -> F.numberNode(new BigDecimal("1e20"));
            case 11 -> F.numberNode(0.5);
            case 12 -> F.numberNode(g.between(-1000, 100000));
            case 13 -> F.numberNode(g.nextLong());
            case 14 -> F.numberNode(g.nextDouble() * 1e6 - 5e5);
            default -> raw(g.pick(RAW_NUMBERS));
        };
    }

    public static String string(Gen g) {
        return switch (g.nextInt(10)) {
            case 0 -> longString(g);
            case 1 -> randomUnicode(g, g.between(1, 64));
            case 2 -> g.alnum(g.between(1, 40));
            default -> g.pick(STRINGS);
        };
    }

    public static String longString(Gen g) {
        int n = switch (g.nextInt(10)) {
            case 0 -> 1 << 20;
            case 1, 2 -> 100_000;
            default -> g.between(1000, 20_000);
        };
        return g.pick("x", "ab ", "日本", "\uD83D\uDE00", "\u0007").repeat(Math.max(1, n / 3));
    }

    static String randomUnicode(Gen g, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int cp = switch (g.nextInt(5)) {
                case 0 -> g.nextInt(0x20);
                case 1 -> g.between(0x20, 0x7E);
                case 2 -> g.between(0x80, 0x7FF);
                case 3 -> g.between(0xD800, 0xDFFF); // lone surrogates
                default -> g.between(0x1F300, 0x1FAFF);
            };
            b.appendCodePoint(cp);
        }
        return b.toString();
    }

    /** Any JSON value, biased towards trouble. */
    public static JsonNode value(Gen g, int depth) {
        int pick = g.nextInt(depth > 3 ? 9 : 12);
        return switch (pick) {
            case 0 -> F.nullNode();
            case 1 -> F.booleanNode(g.coin());
            case 2, 3 -> number(g);
            case 4, 5, 6 -> F.textNode(string(g));
            case 7 -> F.arrayNode();
            case 8 -> F.objectNode();
            case 9 -> {
                ArrayNode a = F.arrayNode();
                for (int i = g.between(1, 4); i > 0; i--) a.add(value(g, depth + 1));
                yield a;
            }
            case 10 -> {
                ObjectNode o = F.objectNode();
                for (int i = g.between(1, 4); i > 0; i--) o.set(g.pick("type", "text", "role", "content", "name", g.alnum(5), ""), value(g, depth + 1));
                yield o;
            }
            default -> nested(g, g.between(10, 200));
        };
    }

    public static JsonNode nested(Gen g, int depth) {
        JsonNode inner = F.textNode("deep");
        for (int i = 0; i < depth; i++) {
            if (g.coin()) inner = F.arrayNode().add(inner);
            else {
                ObjectNode o = F.objectNode();
                o.set("a", inner);
                inner = o;
            }
        }
        return inner;
    }

    /** Serialises a tree, writing raw tokens where {@link #raw} put them. */
    public static String write(JsonNode node) {
        String s = Json.toString(node);
        if (!s.contains("RAW:")) return s;
        Matcher m = RAW_TOKEN.matcher(s);
        return m.replaceAll(r -> Matcher.quoteReplacement(r.group(1)));
    }

    /** Damage a tree cannot express. */
    public static byte[] damage(Gen g, String json) {
        byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        return switch (g.nextInt(14)) {
            case 0 -> json.isEmpty() ? utf8 : json.substring(0, g.nextInt(json.length())).getBytes(StandardCharsets.UTF_8);
            case 1 -> (json + g.pick("}", "]", " garbage", "{}", ",", "\u0000", " {\"a\":1}", "\n\n\n", "/*c*/")).getBytes(StandardCharsets.UTF_8);
            case 2 -> json.startsWith("{") && json.length() > 2
                    ? ("{\"model\":\"" + g.pick("mock", "nope", "claude") + "\"," + g.pick("\"model\":null,", "\"model\":1,", "\"messages\":7,", "\"stream\":true,", "") + json.substring(1)).getBytes(StandardCharsets.UTF_8)
                    : utf8;
            case 3 -> {
                byte[] b = utf8.clone();
                for (int i = g.between(1, 5); i > 0 && b.length > 0; i--) b[g.nextInt(b.length)] = (byte) g.nextInt(256);
                yield b;
            }
            case 4 -> concat(new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8);
            case 5 -> json.getBytes(StandardCharsets.UTF_16);
            case 6 -> json.replace("\"hi\"", "\"\u00ff\"").getBytes(StandardCharsets.ISO_8859_1); // not UTF-8
            case 7 -> "[".repeat(g.between(1000, 100_000)).getBytes(StandardCharsets.UTF_8);
            case 8 -> ("{\"a\":".repeat(g.between(1000, 20_000)) + "1" + "}".repeat(g.between(0, 10))).getBytes(StandardCharsets.UTF_8);
            case 9 -> json.replace('"', '\'').getBytes(StandardCharsets.UTF_8);
            case 10 -> new byte[0];
            case 11 -> g.bytes(g.between(1, 4096));
            case 12 -> ("{" + "\"k\":1,".repeat(g.between(100, 50_000)) + "\"k\":2}").getBytes(StandardCharsets.UTF_8);
            default -> (json + json).getBytes(StandardCharsets.UTF_8);
        };
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
