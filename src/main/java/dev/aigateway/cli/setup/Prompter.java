package dev.aigateway.cli.setup;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Questions for an interactive {@code setup}: on a terminal through {@link Console} (secrets are read without
 * echo), otherwise line by line from standard input, so {@code printf '4000\n...' | ./ai-gateway setup} works.
 * An empty answer takes the default; the end of input takes the default for every remaining question.
 */
public abstract class Prompter {

    /** The terminal when there is one, else standard input and output. */
    public static Prompter forStandardStreams() {
        Console c = System.console();
        if (c != null && isTerminal(c)) return new OnConsole(c);
        return new OnStreams(System.in, System.out);
    }

    /** Line-based questions over the given streams (also what tests use). */
    public static Prompter onStreams(InputStream in, PrintStream out) {
        return new OnStreams(in, out);
    }

    /** A visible answer; {@code defaultValue} (may be null: "") when the answer is empty. */
    public abstract String ask(String question, String defaultValue);

    /** A hidden answer (no echo on a terminal); empty when nothing was typed. */
    public abstract String askSecret(String question);

    /** Yes only for an explicit y/yes; the default otherwise. */
    public boolean confirm(String question, boolean defaultYes) {
        String a = ask(question + (defaultYes ? " [Y/n]" : " [y/N]"), null);
        if (a == null || a.isBlank()) return defaultYes;
        String v = a.strip().toLowerCase(java.util.Locale.ROOT);
        return v.equals("y") || v.equals("yes");
    }

    public abstract void say(String line);

    static String prompt(String question, String defaultValue) {
        return question + (defaultValue == null || defaultValue.isEmpty() || question.endsWith("]") ? "" : " [" + defaultValue + "]") + ": ";
    }

    /** JDK 22+ hands out a Console for redirected streams too; only a real terminal gets hidden input. */
    private static boolean isTerminal(Console c) {
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: System.console() is non-null only on a terminal
        }
    }

    private static final class OnConsole extends Prompter {
        private final Console console;

        OnConsole(Console console) {
            this.console = console;
        }

        @Override
        public String ask(String question, String defaultValue) {
            String line = console.readLine("%s", prompt(question, defaultValue));
            if (line == null || line.isBlank()) return defaultValue;
            return line.strip();
        }

        @Override
        public String askSecret(String question) {
            char[] chars = console.readPassword("%s", question + ": ");
            return chars == null ? "" : new String(chars).strip();
        }

        @Override
        public void say(String line) {
            console.printf("%s%n", line);
        }
    }

    private static final class OnStreams extends Prompter {
        private final BufferedReader in;
        private final PrintStream out;

        OnStreams(InputStream in, PrintStream out) {
            this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            this.out = out;
        }

        @Override
        public String ask(String question, String defaultValue) {
            out.print(prompt(question, defaultValue));
            out.flush();
            String line = readLine();
            out.println();
            if (line == null || line.isBlank()) return defaultValue;
            return line.strip();
        }

        @Override
        public String askSecret(String question) {
            out.print(question + ": ");
            out.flush();
            String line = readLine();
            out.println();
            return line == null ? "" : line.strip();
        }

        @Override
        public void say(String line) {
            out.println(line);
        }

        private String readLine() {
            try {
                return in.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
