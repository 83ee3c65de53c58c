package dev.aigateway.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AsyncAppenderBase;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import dev.aigateway.config.LogSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * How the server's log lines look: {@code text} ({@link LogConfigurator}'s pattern, for people) or {@code json} (one object
 * per line, for log shippers), as {@link LogSettings} read it ({@code --log-format}, else {@code GATEWAY_LOG_FORMAT} /
 * {@code LOG_FORMAT} in the environment or {@code .env}); applied by swapping the encoder of the
 * console appender, so the async appender in front of it (and its never-block policy) stays as it is.
 */
public enum LogFormat {
    TEXT, JSON;

    /** The text encoders replaced by JSON ones, kept so that {@code TEXT} can put them back (tests switch both ways). */
    private static final Map<OutputStreamAppender<ILoggingEvent>, Encoder<ILoggingEvent>> ORIGINAL = new IdentityHashMap<>();

    public static LogFormat of(LogSettings.Format format) {
        return format == LogSettings.Format.JSON ? JSON : TEXT;
    }

    /** Makes every console log line use this format from now on. */
    public synchronized void apply() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) return; // another SLF4J backend: leave it
        for (OutputStreamAppender<ILoggingEvent> out : consoleAppenders(context)) {
            Encoder<ILoggingEvent> next;
            if (this == JSON) {
                if (out.getEncoder() instanceof JsonLineEncoder) continue;
                ORIGINAL.putIfAbsent(out, out.getEncoder());
                JsonLineEncoder json = new JsonLineEncoder();
                json.setContext(context);
                json.start();
                next = json;
            } else {
                next = ORIGINAL.remove(out);
                if (next == null) continue;
            }
            out.setEncoder(next);
        }
    }

    /** The appenders that write bytes, looking through async appenders to what they feed. */
    static List<OutputStreamAppender<ILoggingEvent>> consoleAppenders(LoggerContext context) {
        List<OutputStreamAppender<ILoggingEvent>> found = new ArrayList<>();
        Iterator<Appender<ILoggingEvent>> it = context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
        while (it.hasNext()) collect(it.next(), found);
        return found;
    }

    @SuppressWarnings("unchecked")
    private static void collect(Appender<ILoggingEvent> a, List<OutputStreamAppender<ILoggingEvent>> found) {
        if (a instanceof OutputStreamAppender<?> out) {
            found.add((OutputStreamAppender<ILoggingEvent>) out);
        } else if (a instanceof AsyncAppenderBase<?> async) {
            Iterator<Appender<ILoggingEvent>> inner = ((AsyncAppenderBase<ILoggingEvent>) async).iteratorForAppenders();
            while (inner.hasNext()) collect(inner.next(), found);
        }
    }
}
