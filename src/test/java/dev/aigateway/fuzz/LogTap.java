package dev.aigateway.fuzz;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything every logger writes while a fuzz suite runs (the root logger, so the access log, Vert.x and Netty too),
 * rendered as a line would be: level, logger, message, and each throwable's class, message and stack. Held in memory
 * so each case can look at the lines it caused.
 */
public final class LogTap extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    public record Line(Level level, String logger, String text, boolean hasThrowable) {}

    private final List<Line> lines = new ArrayList<>();
    private final Logger root;

    public LogTap() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        setContext(ctx);
        setName("fuzz-tap");
        root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        start();
        root.addAppender(this);
    }

    @Override
    protected void append(ILoggingEvent e) {
        StringBuilder b = new StringBuilder();
        b.append(e.getLevel()).append(' ').append(e.getLoggerName()).append(" - ").append(e.getFormattedMessage());
        for (Object arg : e.getArgumentArray() == null ? new Object[0] : e.getArgumentArray()) {
            b.append(" | ").append(arg); // structured arguments (the access line) as the JSON encoder would print them
        }
        IThrowableProxy t = e.getThrowableProxy();
        while (t != null) {
            b.append("\n").append(t.getClassName()).append(": ").append(t.getMessage());
            for (StackTraceElementProxy s : t.getStackTraceElementProxyArray()) b.append("\n\tat ").append(s.getSTEAsString());
            t = t.getCause();
        }
        synchronized (lines) {
            lines.add(new Line(e.getLevel(), e.getLoggerName(), b.toString(), e.getThrowableProxy() != null));
        }
    }

    public int size() {
        synchronized (lines) {
            return lines.size();
        }
    }

    /** The lines written since the last drain (and forgets them, so a long run holds little). */
    public List<Line> drain() {
        synchronized (lines) {
            List<Line> out = new ArrayList<>(lines);
            lines.clear();
            return out;
        }
    }

    @Override
    public void close() {
        root.detachAppender(this);
        stop();
    }
}
