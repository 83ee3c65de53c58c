package dev.aigateway.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import org.slf4j.event.KeyValuePair;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code --log-format json}: one JSON object per line for every log event, flat so that log shippers (Loki,
 * Elasticsearch, CloudWatch) index it without parsing rules:
 * <pre>{"timestamp":"2026-11-25T10:15:30.123Z","level":"INFO","logger":"access","thread":"...","message":"...",
 *  "request_id":"req-...","method":"POST","path":"/v1/chat/completions","key_alias":"team-a","model":"gpt-4o",
 *  "deployment":"gpt-4o-1","status":200,"latency_ms":812.4,"overhead_ms":0.21}</pre>
 * Access lines carry their fields from {@link AccessLine}; other events add SLF4J key-value pairs, MDC entries
 * and, for errors, the stack trace as {@code exception}. Runs on the async appender's thread, not the event loop.
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {
    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] NEWLINE = {'\n'};

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        ByteArrayBuilder buf = new ByteArrayBuilder(256);
        try (JsonGenerator g = JSON.createGenerator(buf)) {
            g.writeStartObject();
            g.writeStringField("timestamp", Instant.ofEpochMilli(event.getTimeStamp()).toString());
            g.writeStringField("level", event.getLevel().toString());
            g.writeStringField("logger", event.getLoggerName());
            g.writeStringField("thread", event.getThreadName());
            g.writeStringField("message", event.getFormattedMessage());
            Object[] args = event.getArgumentArray();
            if (args != null) {
                for (Object a : args) if (a instanceof AccessLine line) access(g, line);
            }
            List<KeyValuePair> kvps = event.getKeyValuePairs();
            if (kvps != null) {
                for (KeyValuePair kv : kvps) g.writeStringField(kv.key, String.valueOf(kv.value));
            }
            Map<String, String> mdc = event.getMDCPropertyMap();
            if (mdc != null) {
                for (Map.Entry<String, String> e : mdc.entrySet()) g.writeStringField(e.getKey(), e.getValue());
            }
            IThrowableProxy t = event.getThrowableProxy();
            if (t != null) g.writeStringField("exception", ThrowableProxyUtil.asString(t));
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        buf.write(NEWLINE, 0, 1);
        return buf.toByteArray();
    }

    private static void access(JsonGenerator g, AccessLine a) throws IOException {
        g.writeStringField("request_id", a.requestId());
        g.writeStringField("method", a.method());
        g.writeStringField("path", a.path());
        g.writeStringField("key_alias", a.keyAlias());
        g.writeStringField("model", a.model());
        g.writeStringField("deployment", a.deployment());
        g.writeNumberField("status", a.status());
        g.writeNumberField("latency_ms", Math.round(a.latencyMs() * 100) / 100.0);
        g.writeNumberField("overhead_ms", Math.round(a.overheadMs() * 1000) / 1000.0);
    }
}
