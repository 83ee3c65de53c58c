package dev.aigateway.governance.spend;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The o200k tokenizer, loaded only once something needs exact counts. Its vocabulary is 200,000 entries (about
 * 30 MB of heap and a second of CPU to load), so a gateway without budgets or pre-call checks never loads it.
 *
 * <p>Until it is loaded, {@link #count} answers an upper bound instead of waiting: every o200k token covers at
 * least one UTF-8 byte, so the byte length never undercounts, and a budget reservation made with it is safe (it
 * only holds more than needed). The first such call starts loading on a background thread; {@link #preload} does
 * the same ahead of time, when a budget or a pre-call check shows up.
 */
public final class Tokenizer {
    private static final Logger LOG = LoggerFactory.getLogger(Tokenizer.class);
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    private static volatile Encoding encoding;

    private Tokenizer() {}

    /** Exact when loaded, else the UTF-8 byte length (never less than the exact count). */
    public static long count(String s) {
        if (s.isEmpty()) return 0;
        Encoding e = encoding;
        if (e != null) return e.countTokensOrdinary(s);
        preload();
        return utf8Length(s);
    }

    public static boolean loaded() {
        return encoding != null;
    }

    /** Starts loading in the background (once); returns at once. */
    public static void preload() {
        if (encoding != null || !STARTED.compareAndSet(false, true)) return;
        Thread t = new Thread(Tokenizer::load, "tokenizer-load");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /** Loads now (blocking) if not loaded yet: for callers off the event loop that need exact counts. */
    public static synchronized void load() {
        if (encoding != null) return;
        long t0 = System.nanoTime();
        encoding = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
        LOG.debug("o200k tokenizer loaded in {} ms", (System.nanoTime() - t0) / 1_000_000);
    }

    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) n++;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c)) { n += 4; i++; }
            else n += 3;
        }
        return n;
    }
}
