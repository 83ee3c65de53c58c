package dev.aigateway.provider.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A {@code multipart/form-data} body (RFC 7578), as an upload API takes it (OpenAI's {@code /v1/audio/transcriptions}):
 * parsed from a body already read within the request size limit, and encoded again for the upstream. A file's bytes
 * are a slice of the body read, never copied. Hostile input is bounded: at most {@link #MAX_PARTS} parts, a text field's
 * value at most {@link #MAX_FIELD_BYTES}, a part's headers at most {@link #MAX_HEADER_BYTES}; a malformed body is a 400.
 *
 * <p>As the request the providers take ({@link #asRequest}), text fields are strings (a name sent more than once, such
 * as {@code timestamp_granularities[]}, an array of them) and files are {@link Part}s in {@link POJONode}s: the tree is
 * never serialised, only encoded again ({@link #encode}).
 */
public record MultipartForm(List<Part> parts) {
    public static final int MAX_PARTS = 64;
    public static final int MAX_FIELD_BYTES = 64 * 1024;
    public static final int MAX_HEADER_BYTES = 8 * 1024;
    /** RFC 2046: a boundary is 1 to 70 characters. */
    private static final int MAX_BOUNDARY = 70;

    /** One part: a text field ({@code filename} null) or a file. */
    public record Part(String name, String filename, String contentType, Buffer data) {
        public boolean isFile() {
            return filename != null;
        }

        @Override
        public String toString() {
            return "Part[" + name + (isFile() ? ", file " + data.length() + " bytes" : "") + "]"; // never the content
        }
    }

    /** The boundary a {@code multipart/form-data} Content-Type names, or null when it is not one. */
    public static String boundary(String contentType) {
        if (contentType == null) return null;
        String[] params = contentType.split(";");
        if (!params[0].strip().equalsIgnoreCase("multipart/form-data")) return null;
        for (int i = 1; i < params.length; i++) {
            String p = params[i].strip();
            if (!p.regionMatches(true, 0, "boundary=", 0, 9)) continue;
            String b = p.substring(9);
            if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) b = b.substring(1, b.length() - 1);
            return b.isEmpty() || b.length() > MAX_BOUNDARY ? null : b;
        }
        return null;
    }

    /** Parses {@code body}; a malformed form, or one past the bounds, is a 400. */
    public static MultipartForm parse(Buffer body, String boundary) {
        ByteBuf buf = ((BufferInternal) body).getByteBuf();
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int base = buf.readerIndex();
        int end = buf.writerIndex();
        int at = indexOf(buf, delimiter, buf.readerIndex(), end);
        if (at < 0) throw malformed("no part starts with the boundary of its Content-Type");
        List<Part> parts = new ArrayList<>();
        byte[] next = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int pos = at + delimiter.length;
        while (true) {
            if (pos + 2 <= end && buf.getByte(pos) == '-' && buf.getByte(pos + 1) == '-') break; // the closing delimiter
            if (pos + 2 > end || buf.getByte(pos) != '\r' || buf.getByte(pos + 1) != '\n') throw malformed("a boundary line is not followed by CRLF");
            pos += 2;
            int headersEnd = indexOf(buf, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), pos, Math.min(end, pos + MAX_HEADER_BYTES));
            if (headersEnd < 0) throw malformed("a part's headers do not end (or exceed " + MAX_HEADER_BYTES + " bytes)");
            String headers = buf.toString(pos, headersEnd - pos, StandardCharsets.UTF_8);
            int dataStart = headersEnd + 4;
            int dataEnd = indexOf(buf, next, dataStart, end);
            if (dataEnd < 0) throw malformed("the body ends inside a part (no closing boundary)");
            if (parts.size() == MAX_PARTS) throw GatewayException.badRequest("The form has more than " + MAX_PARTS + " parts.", null);
            parts.add(part(headers, body.slice(dataStart - base, dataEnd - base)));
            pos = dataEnd + next.length;
        }
        return new MultipartForm(List.copyOf(parts));
    }

    private static Part part(String headers, Buffer data) {
        String name = null;
        String filename = null;
        String type = null;
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String h = line.substring(0, colon).strip();
            String v = line.substring(colon + 1).strip();
            if (h.equalsIgnoreCase("content-type")) {
                type = v;
            } else if (h.equalsIgnoreCase("content-disposition")) {
                name = param(v, "name");
                filename = param(v, "filename");
            }
        }
        if (name == null || name.isEmpty()) throw malformed("a part has no Content-Disposition name");
        if (filename == null && data.length() > MAX_FIELD_BYTES) {
            throw GatewayException.badRequest("The form field '" + name + "' is longer than " + MAX_FIELD_BYTES + " bytes.", name);
        }
        return new Part(name, filename, type, data);
    }

    /** A Content-Disposition parameter ({@code name="file"}), quoted or not. */
    private static String param(String disposition, String key) {
        for (String p : disposition.split(";")) {
            String s = p.strip();
            int eq = s.indexOf('=');
            if (eq < 0 || !s.substring(0, eq).strip().equalsIgnoreCase(key)) continue;
            String v = s.substring(eq + 1).strip();
            if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) v = v.substring(1, v.length() - 1).replace("\\\"", "\"");
            return v;
        }
        return null;
    }

    /** The form as a request: text fields as strings (repeated names as arrays), files as {@link Part}s. */
    public ObjectNode asRequest() {
        ObjectNode o = Json.object();
        for (Part p : parts) {
            JsonNode value = p.isFile() ? new POJONode(p) : Json.MAPPER.getNodeFactory().textNode(p.data().toString(StandardCharsets.UTF_8));
            JsonNode had = o.get(p.name());
            if (had == null) {
                o.set(p.name(), value);
            } else if (had instanceof ArrayNode a) {
                a.add(value);
            } else {
                ArrayNode a = o.putArray(p.name());
                a.add(had).add(value);
            }
        }
        return o;
    }

    /** The file a request's field holds ({@link #asRequest}), or null. */
    public static Part file(JsonNode field) {
        return field instanceof POJONode p && p.getPojo() instanceof Part part ? part : null;
    }

    /** A fresh boundary for an encoded form. */
    public static String newBoundary() {
        return "----aigateway" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + Long.toHexString(ThreadLocalRandom.current().nextLong());
    }

    /**
     * {@code request} as a form ({@link #asRequest}'s shape): every field in order, arrays as repeated fields, files with
     * their name and type; objects and nulls are left out (a form has no such values).
     */
    public static Buffer encode(ObjectNode request, String boundary) {
        Buffer out = Buffer.buffer();
        for (Map.Entry<String, JsonNode> e : request.properties()) {
            if (e.getValue() instanceof ArrayNode a) a.forEach(v -> field(out, boundary, e.getKey(), v));
            else field(out, boundary, e.getKey(), e.getValue());
        }
        return out.appendString("--" + boundary + "--\r\n");
    }

    private static void field(Buffer out, String boundary, String name, JsonNode v) {
        Part file = file(v);
        if (file == null && !v.isValueNode() || v.isNull()) return;
        out.appendString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + quoted(name) + "\"");
        if (file != null) {
            out.appendString("; filename=\"" + quoted(file.filename()) + "\"\r\nContent-Type: "
                    + (file.contentType() == null ? "application/octet-stream" : file.contentType()) + "\r\n\r\n");
            out.appendBuffer(file.data());
        } else {
            out.appendString("\r\n\r\n").appendString(v.asText());
        }
        out.appendString("\r\n");
    }

    /** A name or filename inside quotes: quotes and line breaks cannot end the header early. */
    private static String quoted(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", "").replace("\n", "");
    }

    private static int indexOf(ByteBuf buf, byte[] needle, int from, int to) {
        int i = from;
        while (i + needle.length <= to) {
            int first = buf.indexOf(i, to, needle[0]);
            if (first < 0 || first + needle.length > to) return -1;
            boolean match = true;
            for (int j = 1; j < needle.length; j++) {
                if (buf.getByte(first + j) != needle[j]) {
                    match = false;
                    break;
                }
            }
            if (match) return first;
            i = first + 1;
        }
        return -1;
    }

    private static GatewayException malformed(String why) {
        return GatewayException.badRequest("The multipart/form-data body is malformed: " + why + ".", null);
    }
}
