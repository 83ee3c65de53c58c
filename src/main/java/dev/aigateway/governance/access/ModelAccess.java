package dev.aigateway.governance.access;

import dev.aigateway.governance.Principal;
import dev.aigateway.router.ModelCatalog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Which models an allow-list (a key's {@code models}; a team's later) lets its holder use, LiteLLM's way. An entry is:
 * <ul>
 *   <li>{@code *} or {@code all-proxy-models}: every model (so is an empty list);</li>
 *   <li>a name ending in {@code *} ({@code openai/*}): every model whose name starts with what comes before it;</li>
 *   <li>an access group ({@code model_info.access_groups} on model_list entries): every model_name in the group;</li>
 *   <li>a model_name, exact or a catalog wildcard ({@code claude-*}), which then covers every name that entry serves.</li>
 * </ul>
 * An allow-list is compiled once per catalog (its groups expanded into one name set), so a check on the request path
 * is a set lookup, a few prefix tests, and, for a name only a wildcard entry serves, the catalog's pattern lookup.
 */
public final class ModelAccess {
    /** Entries that allow every model. */
    public static final Set<String> EVERY_MODEL = Set.of("*", "all-proxy-models");
    /** Compiled allow-lists kept per catalog; beyond it (as many distinct lists as keys) they are compiled per call. */
    private static final int MAX_COMPILED = 10_000;

    private final Supplier<ModelCatalog> catalog;
    private volatile Compiled compiled;

    /** The catalog an allow-list was compiled against, and the compiled lists. */
    private record Compiled(ModelCatalog catalog, Map<List<String>, Allowed> lists) {}

    /**
     * One allow-list against one catalog.
     *
     * @param names    the exact names, with every named access group's model_names added
     * @param prefixes what entries ending in {@code *} start with
     * @param patterns whether {@code names} holds a catalog wildcard model_name (only then is the pattern looked up)
     */
    private record Allowed(boolean all, Set<String> names, List<String> prefixes, boolean patterns) {
        boolean allows(String model, ModelCatalog catalog) {
            if (all || names.contains(model)) return true;
            for (String p : prefixes) if (model.startsWith(p)) return true;
            if (!patterns) return false;
            String pattern = catalog.patternFor(model);
            return pattern != null && names.contains(pattern);
        }
    }

    public ModelAccess(Supplier<ModelCatalog> catalog) {
        this.catalog = catalog;
    }

    /** Whether a caller may use a model: the master key (and no auth) may use all; a virtual key as its {@code models} say. */
    public boolean allows(Principal caller, String model) {
        return caller.key() == null || allows(caller.key().models(), model);
    }

    /** Whether an allow-list lets its holder use a model ({@code null} or empty: every model). */
    public boolean allows(List<String> allowList, String model) {
        if (allowList == null || allowList.isEmpty()) return true;
        if (model == null) return false;
        Compiled c = current();
        Allowed a = c.lists().get(allowList);
        if (a == null) {
            a = compile(allowList, c.catalog());
            // A copy as the map's key: a caller's list may change after this call.
            if (c.lists().size() < MAX_COMPILED) c.lists().put(Collections.unmodifiableList(new ArrayList<>(allowList)), a);
        }
        return a.allows(model, c.catalog());
    }

    private Compiled current() {
        ModelCatalog now = catalog.get();
        Compiled c = compiled;
        if (c == null || c.catalog() != now) compiled = c = new Compiled(now, new ConcurrentHashMap<>());
        return c;
    }

    private static Allowed compile(List<String> allowList, ModelCatalog catalog) {
        Set<String> names = new HashSet<>();
        List<String> prefixes = new ArrayList<>();
        Map<String, Set<String>> groups = catalog.accessGroups();
        for (String entry : allowList) {
            if (entry == null) continue;
            if (EVERY_MODEL.contains(entry)) return new Allowed(true, Set.of(), List.of(), false);
            names.add(entry);
            if (entry.endsWith("*")) prefixes.add(entry.substring(0, entry.length() - 1));
            Set<String> group = groups.get(entry);
            if (group != null) names.addAll(group);
        }
        boolean patterns = false;
        for (String n : names) patterns |= n.indexOf('*') >= 0;
        return new Allowed(false, Set.copyOf(names), List.copyOf(prefixes), patterns);
    }
}
