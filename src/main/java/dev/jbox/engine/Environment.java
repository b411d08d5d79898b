package dev.jbox.engine;

import java.util.LinkedHashMap;
import java.util.List;

/** A container's environment: KEY=VALUE pairs where a later pair replaces an earlier one of the same key. */
public final class Environment {
    private Environment() {
    }

    public static List<String> dedupe(List<String> env) {
        var byKey = new LinkedHashMap<String, String>();
        for (String e : env) {
            int eq = e.indexOf('=');
            String key = eq < 0 ? e : e.substring(0, eq);
            byKey.remove(key);
            byKey.put(key, e);
        }
        return List.copyOf(byKey.values());
    }
}
