package dev.aigateway.governance.limits;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;

/** Collects what one logger writes, for tests that assert a warning is logged (once). */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    public LogCapture(Class<?> source) {
        this((Logger) LoggerFactory.getLogger(source));
    }

    private LogCapture(Logger logger) {
        this.logger = logger;
        appender.start();
        logger.addAppender(appender);
    }

    /** Everything every logger writes. */
    public static LogCapture root() {
        return new LogCapture((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME));
    }

    /** Messages and the class and message of any logged throwable, one per line. */
    public String text() {
        synchronized (appender) {
            StringBuilder b = new StringBuilder();
            for (ILoggingEvent e : appender.list) {
                b.append(e.getFormattedMessage()).append('\n');
                if (e.getThrowableProxy() != null) {
                    b.append(e.getThrowableProxy().getClassName()).append(": ").append(e.getThrowableProxy().getMessage()).append('\n');
                }
            }
            return b.toString();
        }
    }

    public List<String> messages() {
        synchronized (appender) { // appends hold the appender's lock
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    public long count(String containing) {
        return messages().stream().filter(m -> m.contains(containing)).count();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
    }
}
