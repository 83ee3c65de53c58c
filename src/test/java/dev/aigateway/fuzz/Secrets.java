package dev.aigateway.fuzz;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every secret a fuzzed gateway holds, by name: the master key, the salt key, the UI password, provider keys, and
 * each virtual key as it is made. {@link #find} reports which ones a text contains (the whole value, or a virtual
 * key's 48 characters without {@code sk-}); {@link #mask} replaces them so a failure report can be printed.
 */
public final class Secrets {
    /** Secrets the operator holds: never in any answer, header, log line or metric, whatever the request carried. */
    private final Map<String, String> server = new LinkedHashMap<>();
    /** Virtual keys: shown only to the caller of /key/generate and /key/regenerate, once. */
    private final Map<String, String> virtual = new LinkedHashMap<>();

    public synchronized void server(String name, String value) {
        server.put(value, name);
    }

    public synchronized void virtualKey(String name, String value) {
        if (value != null && value.length() >= 12) virtual.putIfAbsent(value, name);
    }

    public synchronized boolean isVirtualKey(String value) {
        return virtual.containsKey(value);
    }

    public record Hit(String name, String value, boolean serverSecret) {}

    public synchronized List<Hit> find(String text) {
        List<Hit> hits = new ArrayList<>();
        if (text == null || text.isEmpty()) return hits;
        server.forEach((value, name) -> {
            if (text.contains(value)) hits.add(new Hit(name, value, true));
        });
        virtual.forEach((value, name) -> {
            String tail = value.startsWith("sk-") && value.length() > 20 ? value.substring(3) : value;
            if (text.contains(tail)) hits.add(new Hit(name, value, false));
        });
        return hits;
    }

    public synchronized String mask(String text) {
        if (text == null) return null;
        String out = text;
        for (Map.Entry<String, String> e : server.entrySet()) out = out.replace(e.getKey(), "<" + e.getValue() + ">");
        for (Map.Entry<String, String> e : virtual.entrySet()) {
            String tail = e.getKey().startsWith("sk-") && e.getKey().length() > 20 ? e.getKey().substring(3) : e.getKey();
            out = out.replace(tail, "<" + e.getValue() + ">");
        }
        return out;
    }
}
