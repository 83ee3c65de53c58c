package dev.aigateway.logging;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import dev.aigateway.config.LogSettings;
import org.slf4j.LoggerFactory;

/**
 * The gateway's logging set-up, in code rather than a logback.xml: parsing XML (a SAX parser and Joran's bean
 * introspection) cost a third of a second of every start-up. Lines go through an async appender so a slow
 * terminal or disk never blocks an event loop; when it is full, lines are dropped rather than waited for.
 * Found by logback through META-INF/services; {@code -Dlogback.configurationFile=...} still takes over.
 *
 * <p>Logback calls this when the first logger is made, before any configuration exists, so the level comes from
 * {@link LogSettings#levelBeforeConfig()}: the config package's reader of just that variable, from the process
 * environment. Once the configuration is loaded (flags, environment and {@code .env}, validated), {@code run} calls
 * {@link #apply(LogSettings)} with it, before the server's first line: from then on the configured level and format
 * hold, and a bad value has already stopped start-up with a message naming it.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class LogConfigurator extends ContextAwareBase implements Configurator {
    private static final String ASYNC = "ASYNC";
    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("STDOUT");
        console.setEncoder(encoder);
        console.start();
        AsyncAppender async = new AsyncAppender();
        async.setContext(context);
        async.setName(ASYNC);
        async.setQueueSize(8192);
        async.setDiscardingThreshold(0);
        async.setNeverBlock(true);
        async.addAppender(console);
        async.start();
        for (String quiet : new String[]{"com.zaxxer.hikari", "org.flywaydb", "io.netty", "io.vertx"}) {
            context.getLogger(quiet).setLevel(Level.WARN);
        }
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(LogSettings.levelBeforeConfig(), Level.INFO));
        root.addAppender(async);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * Applies the configured level (when this configurator set logging up; a logback.xml of one's own keeps its levels)
     * and line format.
     */
    public static void apply(LogSettings settings) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
            if (root.getAppender(ASYNC) != null) root.setLevel(Level.toLevel(settings.level(), Level.INFO));
        }
        LogFormat.of(settings.format()).apply();
    }
}
