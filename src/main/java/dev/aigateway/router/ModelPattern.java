package dev.aigateway.router;

/**
 * A wildcard {@code model_name} ({@code anthropic/*}, {@code claude-*}, {@code *}), compiled once when the catalog is
 * built: the literal pieces between its {@code *}s. Matching is LiteLLM's ({@code PatternMatchRouter}: each {@code *}
 * is a greedy {@code (.*)}) without a regular expression: a name matches when it starts with the first piece, ends
 * with the last, and holds the pieces between in order. The captures fill the {@code *}s of the entry's
 * {@code litellm_params.model} ({@link #substitute}).
 *
 * <p>Unlike LiteLLM, whose {@code re.match} anchors only the start, the whole name must match ({@code *-preview}
 * does not match {@code x-preview-2}), and a {@code *} stands for at least one character ({@code anthropic/} does not
 * match {@code anthropic/*}: it would send an empty model upstream). A name longer than {@link #MAX_NAME_LENGTH}, with a control character or with a
 * {@code *} of its own never matches: it would be echoed into the upstream request and the spend rows.
 */
public final class ModelPattern {
    /** The longest requested name a pattern substitutes. */
    public static final int MAX_NAME_LENGTH = 256;

    private final String pattern;
    private final String[] pieces;
    private final int literalChars;

    private ModelPattern(String pattern) {
        this.pattern = pattern;
        this.pieces = pattern.split("\\*", -1);
        this.literalChars = pattern.length() - (pieces.length - 1);
    }

    /** Whether a model_name is a pattern (LiteLLM: any {@code *} in it). */
    public static boolean isPattern(String modelName) {
        return modelName != null && modelName.indexOf('*') >= 0;
    }

    public static ModelPattern compile(String pattern) {
        if (!isPattern(pattern)) throw new IllegalArgumentException("not a pattern: " + pattern);
        return new ModelPattern(pattern);
    }

    public String pattern() {
        return pattern;
    }

    public int wildcards() {
        return pieces.length - 1;
    }

    /**
     * Which of two patterns a name matching both goes to: the one with more literal characters (LiteLLM sorts by the
     * length of the pattern's regular expression, which mostly means the same), then the one with fewer {@code *}s;
     * negative when this one is more specific.
     */
    public int compareSpecificity(ModelPattern other) {
        if (literalChars != other.literalChars) return Integer.compare(other.literalChars, literalChars);
        return Integer.compare(wildcards(), other.wildcards());
    }

    /** Whether a requested name may be matched at all (bounded, printable, no {@code *} of its own). */
    public static boolean matchable(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH) return false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '*' || Character.isISOControl(c)) return false;
        }
        return true;
    }

    /** Whether the name matches (no captures allocated). */
    public boolean matches(String name) {
        return matchable(name) && place(name, null);
    }

    /** The text each {@code *} stands for in {@code name}, left to right; null when the name does not match. */
    public String[] captures(String name) {
        if (!matchable(name)) return null;
        int[] at = new int[pieces.length];
        if (!place(name, at)) return null;
        String[] out = new String[pieces.length - 1];
        for (int i = 0; i < out.length; i++) out[i] = name.substring(at[i] + pieces[i].length(), at[i + 1]);
        return out;
    }

    /**
     * Whether the name matches, and where each piece starts in it (into {@code at}, when given). Pieces are placed
     * right to left, each as far right as it fits: that gives the first {@code *} the most text, then the second, as a greedy regular expression would.
     */
    private boolean place(String name, int[] at) {
        String first = pieces[0];
        String last = pieces[pieces.length - 1];
        if (name.length() < literalChars + wildcards() || !name.startsWith(first) || !name.endsWith(last)) return false;
        int next = name.length() - last.length(); // where the piece after the one being placed starts
        if (at != null) at[pieces.length - 1] = next;
        for (int i = pieces.length - 2; i >= 1; i--) {
            // ends at least one character before the next piece: a * stands for something, never for nothing
            int p = name.lastIndexOf(pieces[i], next - 1 - pieces[i].length());
            if (p <= first.length()) return false;
            if (at != null) at[i] = p;
            next = p;
        }
        return next > first.length();
    }

    /**
     * The upstream model for a requested name, LiteLLM's {@code set_deployment_model_name}: a template without
     * {@code *} is used as it is; otherwise its {@code *}s are filled with the captures in order; when the pattern
     * has more {@code *}s than the template, the requested name itself is used.
     */
    public static String substitute(String template, String[] captures, String requested) {
        if (template.indexOf('*') < 0) return template;
        if (usesRequestedName(template, captures)) return requested;
        StringBuilder out = new StringBuilder(template.length() + requested.length());
        int c = 0;
        for (int i = 0; i < template.length(); i++) {
            char ch = template.charAt(i);
            if (ch == '*' && c < captures.length) out.append(captures[c++]);
            else out.append(ch);
        }
        return out.toString();
    }

    /** Whether {@link #substitute} falls back to the requested name: the template has {@code *}s, but fewer than captures. */
    public static boolean usesRequestedName(String template, String[] captures) {
        int stars = 0;
        for (int i = 0; i < template.length(); i++) if (template.charAt(i) == '*') stars++;
        return stars > 0 && captures.length > stars;
    }

    /**
     * The requested name that reaches upstream model {@code model} through this pattern and {@code template}, or null
     * (for listing a wildcard entry's models): the model's captures in the template fill this pattern's {@code *}s.
     */
    public String nameFor(String template, String model) {
        if (template.indexOf('*') < 0 || !matchable(model)) return null;
        String[] caps = compile(template).captures(model);
        if (caps == null || caps.length != wildcards()) return null;
        String name = substitute(pattern, caps, model);
        return matches(name) ? name : null;
    }

    @Override
    public String toString() {
        return pattern;
    }
}
